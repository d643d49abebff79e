/** Wrong codes a session may send in {@link WINDOW_MS} before it must wait. */
const MAX_WRONG = 5;
const WINDOW_MS = 5 * 60_000;
/** Sessions tracked at once; the oldest go first (a bound on memory, whatever the traffic). */
const MAX_SESSIONS = 100_000;

/**
 * The library's own limit on wrong codes, per session: GenAuth's is not documented. Five wrong codes in
 * five minutes lock the session until the oldest of them is five minutes old.
 */
export class WrongCodes {
  private readonly sessions = new Map<string, number[]>();

  /** Seconds until the session may try again, or 0. */
  lockedFor(sessionKey: string, now: number): number {
    const recent = this.recent(sessionKey, now);
    return recent.length >= MAX_WRONG ? Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - now) / 1000)) : 0;
  }

  /** Counts a wrong code; returns the tries left. */
  wrong(sessionKey: string, now: number): number {
    const recent = [...this.recent(sessionKey, now), now];
    this.sessions.delete(sessionKey);
    this.sessions.set(sessionKey, recent);
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    return Math.max(0, MAX_WRONG - recent.length);
  }

  private recent(sessionKey: string, now: number): number[] {
    return (this.sessions.get(sessionKey) ?? []).filter((at) => at > now - WINDOW_MS);
  }
}
