/** A counter's state: how many were counted in its window, and the ms until the window ends. */
export interface MfaAttemptCount {
  readonly count: number;
  readonly resetInMs: number;
}

/**
 * What must hold across replicas when codes are checked: codes already used (GenAuth's `pre-check-code`
 * does not use a code up, so the library takes each once), and the counts of wrong codes and of sends per
 * session and per user. `RedisMfaBindingCache` is one; without one the library keeps them in memory, which
 * holds for one replica only. The library never tests a store's class: what it needs is here.
 */
export interface MfaAttemptStore {
  /** Takes `key` for `ttlMs`: true for the first taker only, on every replica (SET NX, say). */
  takeOnce(key: string, ttlMs: number): boolean | Promise<boolean>;
  /** Counts one under `key` in a fixed window of `windowMs` that the first count starts. */
  count(key: string, windowMs: number): MfaAttemptCount | Promise<MfaAttemptCount>;
  /** What is counted under `key` now, without counting (`count: 0` when nothing). */
  peek(key: string): MfaAttemptCount | Promise<MfaAttemptCount>;
}

/** Whether a store keeps attempts too (`takeOnce`, `count`, `peek`). */
export function keepsAttempts(store: unknown): store is MfaAttemptStore {
  const candidate = store as Partial<Record<string, unknown>> | null | undefined;
  return ['takeOnce', 'count', 'peek'].every((method) => typeof candidate?.[method] === 'function');
}
