/**
 * The longest delay Node's timers take, in ms (2^31 − 1, about 24.8 days). Node fires a longer one after
 * 1 ms, so every timer option is bounded by it.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** Longest wait the library relays or honors, in seconds: an hour. Longer `Retry-After`s are cut to it. */
export const MAX_RETRY_AFTER_SECONDS = 3600;

/** A wait in seconds as a whole number from 1 to {@link MAX_RETRY_AFTER_SECONDS}. */
export function clampRetryAfterSeconds(seconds: number): number {
  if (!(seconds > 1)) return 1;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.ceil(seconds));
}
