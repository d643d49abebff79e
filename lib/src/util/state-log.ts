import type { Logger } from '@nestjs/common';

/**
 * Logs the state changes of a dependency, one line each: a warning when it goes down (with the first
 * error), a line when it is back. A dependency that stays down logs nothing more, however many requests
 * meet it.
 */
export class StateLog {
  private isDown = false;

  constructor(
    private readonly logger: Logger,
    /** What is watched, as the log lines name it ("Redis", "the binding cache"). */
    private readonly what: string,
    /** What the app does meanwhile, for the warning. */
    private readonly meanwhile: string,
  ) {}

  /** Whether the last operation failed. */
  get down(): boolean {
    return this.isDown;
  }

  failed(operation: string, error: unknown): void {
    if (this.isDown) return;
    this.isDown = true;
    const detail = error instanceof Error ? error.message : String(error);
    this.logger.warn(`${this.what} is down (${operation} failed: ${detail}); ${this.meanwhile}`);
  }

  succeeded(): void {
    if (!this.isDown) return;
    this.isDown = false;
    this.logger.log(`${this.what} is back`);
  }
}
