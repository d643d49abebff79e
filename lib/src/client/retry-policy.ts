/** Delay before retry number `attempt` (0-based): full jitter over an exponential ceiling. */
export function backoffDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  return Math.min(maxMs, Math.floor(random() * baseMs * 2 ** attempt));
}

/** Reads `Retry-After` (seconds or an HTTP date) as milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: unknown, now: number = Date.now()): number | undefined {
  const text: unknown = Array.isArray(header) ? (header as unknown[])[0] : header;
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
