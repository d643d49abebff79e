import { defaultDenialBody } from '../contracts/denial.js';
import { clampRetryAfterSeconds } from '../contracts/limits.js';
import { GenAuthApiError, GenAuthRateLimitedError, isGenAuthUnavailable } from '../errors/genauth.errors.js';
import { MfaUnavailableException } from '../errors/mfa.exceptions.js';
import {
  MfaCodeRejectedException,
  MfaEnrollmentExpiredException,
  MfaFactorRequestRejectedException,
  MfaSessionExpiredException,
  MfaTooManyAttemptsException,
} from './factor.exceptions.js';

/** GenAuth's apiCode of a wrong TOTP (6001), and the emulator's for an expired enrollment token. */
const WRONG_CODE = 6001;
const ENROLLMENT_EXPIRED = 6010;

/** What a failed call means to the user: sign in again, a wrong code, start again, wait, or GenAuth is down. */
export function userFacing(error: unknown): unknown {
  if (error instanceof GenAuthRateLimitedError) {
    return new MfaTooManyAttemptsException(clampRetryAfterSeconds((error.retryAfterMs ?? 60_000) / 1000));
  }
  if (isGenAuthUnavailable(error)) {
    const retryAfterSeconds = 5;
    return new MfaUnavailableException(
      defaultDenialBody({ code: 'MFA_UNAVAILABLE', status: 503, retryAfterSeconds }),
      retryAfterSeconds,
    );
  }
  if (!(error instanceof GenAuthApiError)) return error;
  if (error.statusCode === 401 || error.apiCode === 2020) return new MfaSessionExpiredException();
  if (error.apiCode === WRONG_CODE) return new MfaCodeRejectedException(0);
  if (error.apiCode === ENROLLMENT_EXPIRED) return new MfaEnrollmentExpiredException();
  return new MfaFactorRequestRejectedException(`GenAuth refused the request: ${error.message}`);
}

/** The `sub` of a JWT, read without verifying it (GenAuth just accepted the token). */
export function subjectOf(token: unknown): string | undefined {
  if (typeof token !== 'string') return undefined;
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      sub?: unknown;
    };
    return typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}
