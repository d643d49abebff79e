/** Wrong codes a key may send in {@link WINDOW_MS} before it must wait. */
const MAX_WRONG = 5;
const WINDOW_MS = 5 * 60_000;
/** Keys tracked at once; the oldest go first (a bound on memory, whatever the traffic). */
const MAX_KEYS = 100_000;

/**
 * A limit on wrong codes per key (a session for `MfaFactorService`, whose GenAuth limit is not documented;
 * a user for the emulator). Five wrong codes in five minutes lock the key until the oldest of them is five
 * minutes old.
 */
export class WrongCodes {
  private readonly keys = new Map<string, number[]>();

  /** Seconds until the key may try again, or 0. */
  lockedFor(key: string, now: number): number {
    const recent = this.recent(key, now);
    return recent.length >= MAX_WRONG ? Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - now) / 1000)) : 0;
  }

  /** Counts a wrong code; returns the tries left. */
  wrong(key: string, now: number): number {
    const recent = [...this.recent(key, now), now];
    this.keys.delete(key);
    this.keys.set(key, recent);
    if (this.keys.size > MAX_KEYS) this.keys.delete(this.keys.keys().next().value!);
    return Math.max(0, MAX_WRONG - recent.length);
  }

  private recent(key: string, now: number): number[] {
    return (this.keys.get(key) ?? []).filter((at) => at > now - WINDOW_MS);
  }
}
