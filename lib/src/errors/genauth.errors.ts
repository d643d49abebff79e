import { MfaError } from './mfa.error.js';

/** Where a failed call was going: `GET /api/v3/get-user-mfa-info`. */
export interface GenAuthCallSite {
  /** HTTP method, upper case. */
  readonly method: string;
  /** Path under the host, without the query (the query may hold a user's e-mail or phone). */
  readonly path: string;
}

/**
 * Base class of every error the GenAuth client raises. The message names the method and path;
 * secrets never appear in it, and the original error is kept as `cause`.
 */
export class GenAuthError extends MfaError {
  /** HTTP method of the failed call. */
  readonly method: string;
  /** Path of the failed call. */
  readonly path: string;

  constructor(site: GenAuthCallSite, detail: string, options?: { cause?: unknown }) {
    super(`${site.method} ${site.path}: ${detail}`, options);
    this.method = site.method;
    this.path = site.path;
  }
}

/** The arguments of a call were invalid; nothing was sent. `field` names the first bad field. */
export class GenAuthValidationError extends GenAuthError {
  constructor(
    site: GenAuthCallSite,
    /** The path of the first invalid field, e.g. `mfaTriggerData.applicationMfa.0.status`. */
    readonly field: string,
    detail: string,
  ) {
    super(site, `invalid argument ${field}: ${detail}`);
  }
}

/** GenAuth answered with a business error: a body whose `statusCode` is not 200. */
export class GenAuthApiError extends GenAuthError {
  constructor(
    site: GenAuthCallSite,
    /** The body's `statusCode` (400, 401, 403, 404, 500, ...). */
    readonly statusCode: number,
    /** The body's `apiCode`, the precise error kind (2004 user not found, 1300 bad signature, ...). */
    readonly apiCode: number | undefined,
    /** The body's `requestId`, for GenAuth support. */
    readonly requestId: string | undefined,
    upstreamMessage: string | undefined,
  ) {
    super(
      site,
      `GenAuth answered statusCode ${statusCode}${apiCode === undefined ? '' : ` apiCode ${apiCode}`}` +
        `${upstreamMessage ? `: ${upstreamMessage}` : ''}${requestId ? ` (requestId ${requestId})` : ''}`,
    );
  }
}

/** GenAuth rate-limited the call (HTTP 429). */
export class GenAuthRateLimitedError extends GenAuthError {
  constructor(
    site: GenAuthCallSite,
    /** How long GenAuth asked to wait, from `Retry-After`, in milliseconds (undefined when not said). */
    readonly retryAfterMs: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      site,
      `rate limited by GenAuth${retryAfterMs === undefined ? '' : `, retry after ${retryAfterMs} ms`}`,
      options,
    );
  }
}

/** GenAuth answered with an HTTP 5xx (or another unexpected HTTP status). */
export class GenAuthServerError extends GenAuthError {
  constructor(
    site: GenAuthCallSite,
    /** The HTTP status. */
    readonly httpStatus: number,
    options?: { cause?: unknown },
  ) {
    super(site, `GenAuth answered HTTP ${httpStatus}`, options);
  }
}

/** No answer within the configured `timeoutMs`. */
export class GenAuthTimeoutError extends GenAuthError {
  constructor(
    site: GenAuthCallSite,
    /** The timeout that ran out, in milliseconds. */
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(site, `no answer within ${timeoutMs} ms`, options);
  }
}

/** The connection failed (refused, reset, DNS, TLS) before an answer came. */
export class GenAuthNetworkError extends GenAuthError {
  constructor(
    site: GenAuthCallSite,
    /** The system error code when known (`ECONNREFUSED`, `ECONNRESET`, ...). */
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(site, `network error${code ? ` ${code}` : ''}`, options);
  }
}

/** GenAuth answered, but the body does not match the documented shape; it is never used. */
export class GenAuthInvalidResponseError extends GenAuthError {
  constructor(site: GenAuthCallSite, detail: string, options?: { cause?: unknown }) {
    super(site, `invalid response: ${detail}`, options);
  }
}

/**
 * Whether an error means "GenAuth could not answer" (as opposed to a definite answer such as
 * "user not found" or a bad argument): timeouts, network errors, 5xx, 429 and malformed bodies.
 */
export function isGenAuthUnavailable(error: unknown): error is GenAuthError {
  return (
    error instanceof GenAuthTimeoutError ||
    error instanceof GenAuthNetworkError ||
    error instanceof GenAuthServerError ||
    error instanceof GenAuthRateLimitedError ||
    error instanceof GenAuthInvalidResponseError ||
    (error instanceof GenAuthApiError && error.statusCode >= 500)
  );
}
