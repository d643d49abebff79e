import { MfaError } from './mfa.error.js';

/** GenAuth could not say what a user has bound (an outage, a timeout, an open circuit, a full queue). */
export class MfaUnavailableError extends MfaError {
  constructor(
    /** How long the caller should wait, in seconds (1 to 3600). */
    readonly retryAfterSeconds: number,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`MFA bindings unavailable: ${detail}`, options);
  }
}

/**
 * The request's user cannot be looked up: the identifier is not one GenAuth accepts (too long, or
 * refused by GenAuth as a bad argument). A definite answer about this user, not an outage.
 */
export class MfaUserRejectedError extends MfaError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(`MFA user rejected: ${detail}`, options);
  }
}
