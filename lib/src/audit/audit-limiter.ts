/**
 * At most `size` tasks at once; the others wait first in, first out, except urgent ones, which go to the
 * front (the next page's listing, so that lookups never wait for users to be listed). An abort rejects the
 * waiting tasks with the signal's reason.
 */
export class AuditLimiter {
  private running = 0;
  private readonly waiting: { start: () => void; fail: (reason: unknown) => void }[] = [];

  constructor(
    private readonly size: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    signal?.addEventListener('abort', () => {
      for (const task of this.waiting.splice(0)) task.fail(signal.reason);
    });
  }

  async run<T>(task: () => Promise<T>, urgent = false): Promise<T> {
    this.signal?.throwIfAborted();
    if (this.running >= this.size) {
      await new Promise<void>((start, fail) => {
        const entry = { start, fail };
        if (urgent) this.waiting.unshift(entry);
        else this.waiting.push(entry);
      });
    }
    this.running += 1;
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.start();
    }
  }
}
