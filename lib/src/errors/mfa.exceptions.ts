import { HttpException, HttpStatus } from '@nestjs/common';
import { stepUpChallenge, type MfaDenial } from '../contracts/denial.js';

/** 401 `MFA_USER_UNRESOLVED`: the request carries no user the guard can check. */
export class MfaUserUnresolvedException extends HttpException {
  constructor(body: object) {
    super(body, HttpStatus.UNAUTHORIZED);
  }
}

/** 403 `MFA_NOT_BOUND`: the user has not bound what the route requires. */
export class MfaNotBoundException extends HttpException {
  constructor(body: object) {
    super(body, HttpStatus.FORBIDDEN);
  }
}

/**
 * 401 `MFA_STEP_UP_REQUIRED`: the route needs a factor verified more recently. Sent with the RFC 9470
 * `WWW-Authenticate` challenge.
 */
export class MfaStepUpRequiredException extends HttpException {
  constructor(
    body: object,
    /** The `WWW-Authenticate` value. */
    readonly challenge: string,
  ) {
    super(body, HttpStatus.UNAUTHORIZED);
  }
}

/** 503 `MFA_UNAVAILABLE`: GenAuth could not answer; sent with `Retry-After`. */
export class MfaUnavailableException extends HttpException {
  constructor(
    body: object,
    /** The `Retry-After` value, in seconds. */
    readonly retryAfterSeconds: number,
  ) {
    super(body, HttpStatus.SERVICE_UNAVAILABLE);
  }
}

/**
 * 303 to the enrollment page: a browser navigation denied for a missing factor (`MFA_NOT_BOUND`). The
 * `Location` header is set on the response; the body says where, for clients that show it.
 */
export class MfaEnrollmentRedirectException extends HttpException {
  constructor(
    /** The enrollment URL, with `returnTo`. */
    readonly location: string,
    body: object,
  ) {
    super(body, HttpStatus.SEE_OTHER);
  }
}

/** The HTTP exception of a denial (the 303 redirect aside). */
export function mfaHttpException(denial: MfaDenial, body: object): HttpException {
  if (denial.code === 'MFA_USER_UNRESOLVED') return new MfaUserUnresolvedException(body);
  if (denial.code === 'MFA_NOT_BOUND') return new MfaNotBoundException(body);
  if (denial.code === 'MFA_STEP_UP_REQUIRED') return new MfaStepUpRequiredException(body, stepUpChallenge(denial));
  return new MfaUnavailableException(body, denial.retryAfterSeconds);
}
