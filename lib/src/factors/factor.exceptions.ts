import { HttpException } from '@nestjs/common';

/**
 * Base of what `MfaFactorService` throws at the user: an `HttpException` with a machine-readable `code`, so
 * that a controller can let it through as the answer. `headers` (`Retry-After`, `WWW-Authenticate`) are
 * sent by `MfaFactorExceptionFilter`.
 */
export class MfaFactorException extends HttpException {
  constructor(
    status: number,
    /** The machine-readable code of the body. */
    readonly code: string,
    message: string,
    extra: Record<string, unknown> = {},
    /** Headers the answer carries. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super({ statusCode: status, code, message, ...extra }, status);
  }
}

/** 400 `MFA_CODE_REJECTED`: the code is wrong (or used already); `triesLeft` says how many remain. */
export class MfaCodeRejectedException extends MfaFactorException {
  constructor(readonly triesLeft: number) {
    super(400, 'MFA_CODE_REJECTED', `The code is wrong. ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left.`, {
      triesLeft,
    });
  }
}

/** 429 `MFA_TOO_MANY_ATTEMPTS`: too many wrong codes; try again after `retryAfterSeconds` (and `Retry-After`). */
export class MfaTooManyAttemptsException extends MfaFactorException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      429,
      'MFA_TOO_MANY_ATTEMPTS',
      `Too many wrong codes. Try again in ${retryAfterSeconds} seconds.`,
      { retryAfterSeconds },
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
}

/** 410 `MFA_ENROLLMENT_EXPIRED`: the enrollment token is unknown or older than its minute: start again. */
export class MfaEnrollmentExpiredException extends MfaFactorException {
  constructor() {
    super(410, 'MFA_ENROLLMENT_EXPIRED', 'The enrollment took longer than a minute: start it again.');
  }
}

/** 401 `MFA_SESSION_EXPIRED`: GenAuth refused the user's token (expired or invalid): sign in again. */
export class MfaSessionExpiredException extends MfaFactorException {
  constructor() {
    super(
      401,
      'MFA_SESSION_EXPIRED',
      'Your GenAuth session has expired: sign in again.',
      {},
      { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    );
  }
}

/** 400 `MFA_FACTOR_REQUEST_REJECTED`: bad input (`field` names it), or GenAuth refused the request. */
export class MfaFactorRequestRejectedException extends MfaFactorException {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(400, 'MFA_FACTOR_REQUEST_REJECTED', message, field === undefined ? {} : { field });
  }
}

/** 429 `MFA_RESEND_TOO_SOON`: a code was sent less than a minute ago; send again after `retryAfterSeconds`. */
export class MfaResendTooSoonException extends MfaFactorException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      429,
      'MFA_RESEND_TOO_SOON',
      `A code was sent a moment ago. Send another in ${retryAfterSeconds} seconds.`,
      { retryAfterSeconds },
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
}

/** 400 `MFA_PASSKEY_REJECTED`: GenAuth refused the passkey's answer; `triesLeft` more before a 429. */
export class MfaPasskeyRejectedException extends MfaFactorException {
  constructor(
    readonly triesLeft: number,
    reason: string,
  ) {
    super(400, 'MFA_PASSKEY_REJECTED', `The passkey was not accepted (${reason}): start again.`, { triesLeft });
  }
}

/**
 * 403 `MFA_VERIFICATION_REQUIRED`: registering a passkey needs a factor the user holds verified in this
 * session first (a stolen session must not add its own passkey); `verifyWith` lists them.
 */
export class MfaVerificationRequiredException extends MfaFactorException {
  constructor(
    readonly verifyWith: readonly string[],
    maxAgeSeconds: number,
  ) {
    super(
      403,
      'MFA_VERIFICATION_REQUIRED',
      `Verify one of your factors (${verifyWith.join(', ')}) first: a passkey is added within ${maxAgeSeconds} seconds of it.`,
      { verifyWith, maxAgeSeconds },
    );
  }
}
