/** A lookup waited for a free slot longer than it may. */
export class LookupQueueTimeout extends Error {
  constructor(waitedMs: number) {
    super(`no free upstream slot within ${waitedMs} ms`);
    this.name = 'LookupQueueTimeout';
  }
}

interface Waiter {
  readonly start: () => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * At most `max` upstream lookups at once; the rest wait in arrival order, each at most `maxWaitMs`,
 * then fail with {@link LookupQueueTimeout}. Distinct cold users in a storm cannot flood GenAuth.
 */
export class LookupLimiter {
  private active = 0;
  private readonly waiting = new Set<Waiter>();

  constructor(
    private readonly max: number,
    private readonly maxWaitMs: number,
  ) {}

  /** Lookups waiting for a slot now. */
  get queued(): number {
    return this.waiting.size;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active < this.max) return this.start(task);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          clearTimeout(waiter.timer);
          this.start(task).then(resolve, reject);
        },
        timer: setTimeout(() => {
          this.waiting.delete(waiter);
          reject(new LookupQueueTimeout(this.maxWaitMs));
        }, this.maxWaitMs),
      };
      this.waiting.add(waiter);
    });
  }

  private start<T>(task: () => Promise<T>): Promise<T> {
    this.active += 1;
    const release = () => {
      this.active -= 1;
      const next = this.waiting.values().next();
      if (!next.done) {
        this.waiting.delete(next.value);
        next.value.start();
      }
    };
    const running = task();
    running.then(release, release);
    return running;
  }
}
