import { backoffDelayMs } from '../client/retry-policy.js';
import {
  GenAuthRateLimitedError,
  isGenAuthUnavailable,
  GenAuthInvalidResponseError,
} from '../errors/genauth.errors.js';

/** How an audit retries one call. */
export interface AuditRetryPolicy {
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly signal: AbortSignal | undefined;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or `retries` retries were spent. Retried: 429 (waiting at
 * least its `Retry-After`), 5xx, timeouts and network errors; an invalid answer or a 4xx is final. The waits
 * happen outside `attempt`, so a slot of the limiter is free meanwhile.
 */
export async function withRetries<T>(attempt: () => Promise<T>, policy: AuditRetryPolicy): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      const retriable = isGenAuthUnavailable(error) && !(error instanceof GenAuthInvalidResponseError);
      if (!retriable || retry >= policy.retries) throw error;
      const backoff = Math.max(1, backoffDelayMs(retry, policy.baseDelayMs, policy.maxDelayMs));
      const asked = error instanceof GenAuthRateLimitedError ? (error.retryAfterMs ?? 0) : 0;
      await pause(Math.min(policy.maxDelayMs, Math.max(asked, backoff)), policy.signal);
    }
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const done = () => {
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}
