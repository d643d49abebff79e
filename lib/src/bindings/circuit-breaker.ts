import type { CircuitState } from '../contracts/decision.js';

/**
 * Stops calling an upstream that keeps failing: after `threshold` consecutive failures it opens for
 * `resetMs`, then lets one trial call through (half-open); a success closes it, a failure reopens it.
 * `onChange` hears of the first opening and of the closing (not of each failed trial in between).
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private trialInFlight = false;

  constructor(
    private readonly threshold: number,
    private readonly resetMs: number,
    private readonly now: () => number = Date.now,
    private readonly onChange: (open: boolean, failures: number) => void = () => undefined,
  ) {}

  get state(): CircuitState {
    if (this.threshold <= 0 || this.failures < this.threshold) return 'closed';
    return this.openUntil > this.now() ? 'open' : 'half_open';
  }

  /** Milliseconds until a call may go through, or 0 when one may go now (which then counts as the trial). */
  blockedForMs(): number {
    if (this.threshold <= 0 || this.failures < this.threshold) return 0;
    const wait = this.openUntil - this.now();
    if (wait > 0) return wait;
    if (this.trialInFlight) return this.resetMs;
    this.trialInFlight = true;
    return 0;
  }

  /** Records a call that got an answer. */
  success(): void {
    const wasOpen = this.threshold > 0 && this.failures >= this.threshold;
    this.failures = 0;
    this.trialInFlight = false;
    if (wasOpen) this.onChange(false, 0);
  }

  /** Records a call that got no usable answer. */
  failure(): void {
    this.failures += 1;
    this.trialInFlight = false;
    if (this.threshold > 0 && this.failures >= this.threshold) {
      this.openUntil = this.now() + this.resetMs;
      if (this.failures === this.threshold) this.onChange(true, this.failures);
    }
  }
}
