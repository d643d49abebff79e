import type { Logger } from '@nestjs/common';

/** Logs a warning at most once per interval: a failing dependency must not log a line per request. */
export class ThrottledWarning {
  private last = -Infinity;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 30_000,
  ) {}

  warn(message: string, error: unknown): void {
    const now = Date.now();
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    const detail = error instanceof Error ? error.message : String(error);
    this.logger.warn(`${message} (next warning in ${this.intervalMs / 1000} s at most): ${detail}`);
  }
}
