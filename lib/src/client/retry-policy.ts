import { MAX_RETRY_AFTER_SECONDS } from '../contracts/limits.js';

/** Delay before retry number `attempt` (0-based): full jitter over an exponential ceiling. */
export function backoffDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  return Math.min(maxMs, Math.floor(random() * baseMs * 2 ** attempt));
}

/**
 * Reads `Retry-After` (seconds or an HTTP date) as milliseconds from now, at most
 * {@link MAX_RETRY_AFTER_SECONDS}; undefined when absent or unreadable.
 */
export function parseRetryAfterMs(header: unknown, now: number = Date.now()): number | undefined {
  const text: unknown = Array.isArray(header) ? (header as unknown[])[0] : header;
  if (typeof text !== 'string' || text.trim() === '' || text.length > 64) return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text.trim())) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  return Math.round(Math.min(Math.max(0, ms), MAX_RETRY_AFTER_SECONDS * 1000));
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
