import { Inject, Injectable, Logger } from '@nestjs/common';
import { MfaBindingResolver } from '../bindings/mfa-binding.resolver.js';
import { GenAuthHttpClient } from '../client/genauth-http.client.js';
import { defaultDenialBody } from '../contracts/denial.js';
import { clampRetryAfterSeconds } from '../contracts/limits.js';
import { parseFactor, toWireName, type MfaFactor } from '../contracts/mfa-factor.js';
import type { MfaServiceSettings } from '../contracts/settings.js';
import { MFA_SERVICE_SETTINGS } from '../contracts/tokens.js';
import {
  GenAuthApiError,
  GenAuthRateLimitedError,
  isGenAuthUnavailable,
  type GenAuthCallSite,
} from '../errors/genauth.errors.js';
import { MfaUnavailableException } from '../errors/mfa.exceptions.js';
import { MfaOptionsError } from '../errors/mfa-options.error.js';
import { MfaVerifications } from '../verifications/mfa-verifications.js';
import { mfaSessionKey } from '../verifications/session-key.js';
import { WrongCodes } from '../util/wrong-codes.js';
import { enrolledFactors, enrollmentStarted, factorsToEnroll, verified } from './factor-answers.js';
import {
  MfaCodeRejectedException,
  MfaEnrollmentExpiredException,
  MfaFactorRequestRejectedException,
  MfaSessionExpiredException,
  MfaTooManyAttemptsException,
} from './factor.exceptions.js';
import type { MfaEnrolledFactor, MfaEnrollment, MfaEnrollmentRequest, MfaSession } from './factor.types.js';

const site = (method: 'GET' | 'POST', endpoint: string): GenAuthCallSite => ({ method, path: `/api/v3/${endpoint}` });
const LIST_ENROLLED = site('GET', 'list-enrolled-factors');
const LIST_TO_ENROLL = site('GET', 'list-factors-to-enroll');
const START_ENROLLMENT = site('POST', 'send-enroll-factor-request');
const ENROLL = site('POST', 'enroll-factor');
const RESET = site('POST', 'reset-factor');
const VERIFY_TOTP = site('POST', 'mfa-totp-verify');
/** GenAuth's apiCode of a wrong TOTP (6001), and the emulator's for an expired enrollment token. */
const WRONG_CODE = 6001;
const ENROLLMENT_EXPIRED = 6010;
const ENROLLMENT_TTL_MS = 60_000;

/**
 * The signed-in user's own factors, on GenAuth's Authentication API (`appHost`, `appId`), called with
 * the user's access token: list them, enroll one (TOTP with a QR code, SMS, EMAIL) with a code, reset one,
 * and verify a TOTP code for step-up. A completed enrollment or a reset drops the user's cached bindings
 * on every replica; a verified code or a completed enrollment is recorded for the session, which step-up
 * routes (`verifiedWithin`) read. Failures the user can act on are `MfaFactorException`s (400 wrong code
 * with tries left, 429 too many, 410 enrollment expired, 401 sign in again); GenAuth down is a 503.
 */
@Injectable()
export class MfaFactorService {
  private readonly logger = new Logger('MfaFactorService');
  private readonly wrongCodes = new WrongCodes();

  /** @internal Nest creates it. */
  constructor(
    private readonly client: GenAuthHttpClient,
    private readonly bindings: MfaBindingResolver,
    private readonly verifications: MfaVerifications,
    @Inject(MFA_SERVICE_SETTINGS) private readonly settings: MfaServiceSettings,
  ) {}

  /** The factors the user has bound. */
  async listEnrolledFactors(session: MfaSession): Promise<MfaEnrolledFactor[]> {
    return enrolledFactors(LIST_ENROLLED, await this.call(LIST_ENROLLED, {}, session));
  }

  /** The factors the application enables that the user has not bound yet. */
  async listFactorsToEnroll(session: MfaSession): Promise<MfaFactor[]> {
    return factorsToEnroll(LIST_TO_ENROLL, await this.call(LIST_TO_ENROLL, {}, session));
  }

  /** Starts an enrollment: for TOTP, the `otpauth://` URI, its secret and a QR code; complete it within a minute. */
  async startEnrollment(session: MfaSession, request: MfaEnrollmentRequest): Promise<MfaEnrollment> {
    const factor = parseFactor(request?.factor);
    if (!factor || factor === 'FACE')
      throw new MfaFactorRequestRejectedException('factor must be TOTP, SMS or EMAIL', 'factor');
    const profile =
      request.factor === 'SMS'
        ? {
            phoneNumber: request.phone,
            ...(request.phoneCountryCode ? { phoneCountryCode: request.phoneCountryCode } : {}),
          }
        : request.factor === 'EMAIL'
          ? { email: request.email }
          : undefined;
    const data = await this.call(
      START_ENROLLMENT,
      { factorType: toWireName(factor), ...(profile ? { profile } : {}) },
      session,
    );
    const started = enrollmentStarted(START_ENROLLMENT, data, factor === 'TOTP');
    return { factor, ...started, expiresAt: new Date(Date.now() + ENROLLMENT_TTL_MS) };
  }

  /** Completes an enrollment with the code the user read; binds the factor, and records it as verified now. */
  async completeEnrollment(
    session: MfaSession,
    enrollment: { readonly factor: MfaFactor | 'OTP'; readonly enrollmentToken: string; readonly code: string },
  ): Promise<void> {
    const factor = parseFactor(enrollment?.factor);
    if (!factor) throw new MfaFactorRequestRejectedException('factor must be TOTP, SMS or EMAIL', 'factor');
    const params = {
      factorType: toWireName(factor),
      enrollmentToken: enrollment.enrollmentToken,
      enrollmentData: { passCode: enrollment.code },
    };
    await this.withCode(session, enrollment.code, () => this.call(ENROLL, params, session));
    await this.changed(session, factor);
  }

  /** Unbinds one of the user's factors (by the `factorId` `listEnrolledFactors` gives). */
  async resetFactor(session: MfaSession, factorId: string): Promise<void> {
    if (typeof factorId !== 'string' || factorId === '')
      throw new MfaFactorRequestRejectedException('factorId is required', 'factorId');
    await this.call(RESET, { factorId }, session);
    await this.changed(session, undefined);
  }

  /**
   * Verifies a TOTP code for the session (step-up). A wrong code is a 400 saying how many tries remain; the
   * fifth in five minutes a 429. GenAuth's answer to a wrong code is read both ways its sources give it:
   * `verified: false`, or apiCode 6001.
   */
  async verifyTotp(session: MfaSession, code: string): Promise<void> {
    const ok = await this.withCode(session, code, async () =>
      verified(VERIFY_TOTP, await this.call(VERIFY_TOTP, { totp: code }, session)),
    );
    if (!ok) throw this.wrongCode(session);
    await this.verifications.recordVerification(this.sessionKey(session), 'TOTP');
  }

  /** Runs a call that checks a code: refused at once while locked, a wrong code counted. */
  private async withCode<T>(session: MfaSession, code: string, run: () => Promise<T>): Promise<T> {
    const key = this.sessionKey(session);
    const locked = this.wrongCodes.lockedFor(key, Date.now());
    if (locked > 0) throw new MfaTooManyAttemptsException(locked);
    if (typeof code !== 'string' || !/^\d{6}$/.test(code)) throw this.wrongCode(session);
    try {
      return await run();
    } catch (error) {
      if (error instanceof MfaCodeRejectedException) throw this.wrongCode(session);
      throw error;
    }
  }

  private wrongCode(session: MfaSession): Error {
    const key = this.sessionKey(session);
    const left = this.wrongCodes.wrong(key, Date.now());
    return left > 0
      ? new MfaCodeRejectedException(left)
      : new MfaTooManyAttemptsException(this.wrongCodes.lockedFor(key, Date.now()));
  }

  /** After an enrollment or a reset: every replica forgets the user's bindings; an enrollment counts as verified. */
  private async changed(session: MfaSession, enrolled: MfaFactor | undefined): Promise<void> {
    const userId = session.userId ?? subjectOf(session.accessToken);
    if (userId) await this.bindings.invalidate({ userId, userIdType: 'user_id' });
    else this.logger.warn('a factor changed for a token without sub: cached bindings expire with their TTL');
    if (enrolled) await this.verifications.recordVerification(this.sessionKey(session), enrolled);
  }

  private sessionKey(session: MfaSession): string {
    return session.sessionKey ?? mfaSessionKey(session.accessToken);
  }

  private async call(at: GenAuthCallSite, params: Record<string, unknown>, session: MfaSession): Promise<unknown> {
    if (!this.settings.appId) throw new MfaOptionsError('appId', 'MfaFactorService calls the application: set appId');
    if (typeof session?.accessToken !== 'string' || session.accessToken === '') throw new MfaSessionExpiredException();
    try {
      return await this.client.call(at.method as 'GET' | 'POST', at.path, params, { token: session.accessToken });
    } catch (error) {
      throw userFacing(error);
    }
  }
}

/** What a failed call means to the user: sign in again, a wrong code, start again, wait, or GenAuth is down. */
function userFacing(error: unknown): unknown {
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
function subjectOf(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      sub?: unknown;
    };
    return typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}
