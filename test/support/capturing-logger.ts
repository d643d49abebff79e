import type { LoggerService } from '@nestjs/common';

/** A Nest logger for tests: the messages the library logs, per level and all together, in order. */
export class CapturingLogger implements LoggerService {
  readonly logs: string[] = [];
  readonly warnings: string[] = [];
  readonly errors: string[] = [];
  /** Every message of `log`, `warn` and `error`, in order. */
  readonly lines: string[] = [];

  log(message: unknown): void {
    this.record(this.logs, message);
  }
  warn(message: unknown): void {
    this.record(this.warnings, message);
  }
  error(message: unknown): void {
    this.record(this.errors, message);
  }

  private record(level: string[], message: unknown): void {
    level.push(String(message));
    this.lines.push(String(message));
  }
}
