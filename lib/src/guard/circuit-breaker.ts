/**
 * Stops calling an upstream that keeps failing: after `threshold` consecutive failures it opens for
 * `resetMs`, then lets one trial call through (half-open); a success closes it, a failure reopens it.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil = 0;
  private trialInFlight = false;

  constructor(
    private readonly threshold: number,
    private readonly resetMs: number,
    private readonly now: () => number = Date.now,
  ) {}

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
    this.failures = 0;
    this.trialInFlight = false;
  }

  /** Records a call that got no usable answer. */
  failure(): void {
    this.failures += 1;
    this.trialInFlight = false;
    if (this.threshold > 0 && this.failures >= this.threshold) this.openUntil = this.now() + this.resetMs;
  }
}
