import {
  GenAuthApiError,
  GenAuthInvalidResponseError,
  GenAuthRateLimitedError,
  GenAuthServerError,
  type GenAuthCallSite,
} from '../errors/genauth.errors.js';
import { parseRetryAfterMs } from './retry-policy.js';

/** Reads a response: HTTP 429 and 5xx first, then the JSON envelope, whose `statusCode` decides. */
export function readEnvelope(
  site: GenAuthCallSite,
  httpStatus: number,
  retryAfter: unknown,
  text: unknown,
  redactor: (text: string) => string = (t) => t,
): unknown {
  if (httpStatus === 429) throw new GenAuthRateLimitedError(site, parseRetryAfterMs(retryAfter));
  if (httpStatus >= 500) throw new GenAuthServerError(site, httpStatus);
  let body: unknown;
  try {
    body = typeof text === 'string' ? JSON.parse(text) : text;
  } catch (error) {
    // JSON.parse quotes the body in its message, so the cause is rebuilt from redacted text.
    const cause = new Error(redactor((error as Error).message));
    throw new GenAuthInvalidResponseError(site, `HTTP ${httpStatus} with a body that is not JSON`, { cause });
  }
  if (body === null || typeof body !== 'object' || typeof (body as { statusCode?: unknown }).statusCode !== 'number') {
    throw new GenAuthInvalidResponseError(site, `HTTP ${httpStatus} with a body that has no numeric statusCode`);
  }
  const envelope = body as {
    statusCode: number;
    apiCode?: unknown;
    requestId?: unknown;
    message?: unknown;
    data?: unknown;
  };
  if (envelope.statusCode === 200 && httpStatus >= 200 && httpStatus < 300) return envelope.data;
  if (envelope.statusCode === 429) throw new GenAuthRateLimitedError(site, parseRetryAfterMs(retryAfter));
  return throwApiError(site, envelope.statusCode === 200 ? httpStatus : envelope.statusCode, envelope, redactor);
}

function throwApiError(
  site: GenAuthCallSite,
  statusCode: number,
  envelope: { apiCode?: unknown; requestId?: unknown; message?: unknown },
  redactor: (text: string) => string,
): never {
  throw new GenAuthApiError(
    site,
    statusCode,
    typeof envelope.apiCode === 'number' ? envelope.apiCode : undefined,
    typeof envelope.requestId === 'string' ? redactor(envelope.requestId) : undefined,
    typeof envelope.message === 'string' ? redactor(envelope.message) : undefined,
  );
}
