import type { Logger } from '@nestjs/common';

/** How a {@link StateLog} words its two lines. */
export interface StateLogWords {
  /** What is watched, as the log lines name it ("Redis", "The binding cache store"). */
  readonly what: string;
  /** What the app does meanwhile, for the first line. */
  readonly meanwhile: string;
  /** The first line's verb. Default `is down`. */
  readonly down?: string;
  /** The second line's verb. Default `is back`. */
  readonly back?: string;
  /** The first line's level. Default `warn`. */
  readonly level?: 'warn' | 'error';
}

/**
 * Logs the state changes of a dependency, one line each: one when it goes down (with the first error),
 * one when it is back. A dependency that stays down logs nothing more, however many requests meet it.
 */
export class StateLog {
  private isDown = false;

  constructor(
    private readonly logger: Logger,
    private readonly words: StateLogWords,
  ) {}

  /** Whether the last operation failed. */
  get down(): boolean {
    return this.isDown;
  }

  failed(operation: string, error: unknown): void {
    if (this.isDown) return;
    this.isDown = true;
    const { what, meanwhile, down = 'is down', level = 'warn' } = this.words;
    const detail = error instanceof Error ? error.message : String(error);
    this.logger[level](`${what} ${down} (${operation} failed: ${detail}); ${meanwhile}`);
  }

  succeeded(): void {
    if (!this.isDown) return;
    this.isDown = false;
    this.logger.log(`${this.words.what} ${this.words.back ?? 'is back'}`);
  }
}
