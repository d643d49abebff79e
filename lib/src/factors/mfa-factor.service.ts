import { Inject, Injectable, Logger } from '@nestjs/common';
import { MfaBindingResolver } from '../bindings/mfa-binding.resolver.js';
import { GenAuthHttpClient } from '../client/genauth-http.client.js';
import { parseFactor, toWireName, type MfaFactor, type MfaFactorName } from '../contracts/mfa-factor.js';
import type { MfaServiceSettings } from '../contracts/settings.js';
import { MFA_SERVICE_SETTINGS } from '../contracts/tokens.js';
import type { GenAuthCallSite } from '../errors/genauth.errors.js';
import { MfaVerifications } from '../verifications/mfa-verifications.js';
import { CodeAttempts, type CodeTrier } from './code-attempts.js';
import { callAsUser, sessionKeyOf, trierOf, userSite } from './user-call.js';
import { checkBody, codeIsValid, masked, sendBody, targetOf, type CodeTarget } from './code-targets.js';
import { subjectOf } from './factor-errors.js';
import { enrolledFactors, enrollmentStarted, factorsToEnroll, verified } from './factor-answers.js';
import {
  MfaCodeRejectedException,
  MfaFactorRequestRejectedException,
  MfaResendTooSoonException,
  MfaTooManyAttemptsException,
} from './factor.exceptions.js';
import type {
  MfaCodeSent,
  MfaEnrolledFactor,
  MfaEnrollment,
  MfaEnrollmentRequest,
  MfaSession,
} from './factor.types.js';

const site = userSite;
const LIST_ENROLLED = site('GET', 'list-enrolled-factors');
const LIST_TO_ENROLL = site('GET', 'list-factors-to-enroll');
const START_ENROLLMENT = site('POST', 'send-enroll-factor-request');
const ENROLL = site('POST', 'enroll-factor');
const RESET = site('POST', 'reset-factor');
const VERIFY_TOTP = site('POST', 'mfa-totp-verify');
const SEND = { SMS: site('POST', 'send-sms'), EMAIL: site('POST', 'send-email') };
const CHECK_CODE = site('POST', 'pre-check-code');
const ENROLLMENT_TTL_MS = 60_000;
/** A TOTP code has six digits; GenAuth's SMS and e-mail codes four to eight, as its templates set. */
const TOTP_CODE = /^\d{6}$/;
const SENT_CODE = /^\d{4,8}$/;

/**
 * The signed-in user's own factors, on GenAuth's Authentication API (`appHost`, `appId`), called with
 * the user's access token: list them, enroll one (TOTP with a QR code, SMS, EMAIL) with a code, reset one,
 * and step up with any of them: a TOTP code, or a code sent by SMS or e-mail to what the user bound. A
 * completed enrollment or a reset drops the user's cached bindings on every replica; a verified code or a
 * completed enrollment is recorded for the session, which step-up routes (`verifiedWithin`) read.
 *
 * Codes are limited in the attempts' store (`stepUp.attempts`, shared by every replica when it is Redis):
 * five wrong codes per session and ten per user in five minutes, each sent code accepted once, one send a
 * minute. Failures the user can act on are `MfaFactorException`s (400 wrong code with tries left, 429 too
 * many or too soon, 410 enrollment expired, 401 sign in again); GenAuth or the store down is a 503.
 */
@Injectable()
export class MfaFactorService {
  private readonly logger = new Logger('MfaFactorService');

  /** @internal Nest creates it. */
  constructor(
    private readonly client: GenAuthHttpClient,
    private readonly bindings: MfaBindingResolver,
    private readonly verifications: MfaVerifications,
    @Inject(MFA_SERVICE_SETTINGS) private readonly settings: MfaServiceSettings,
    private readonly attempts: CodeAttempts,
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
    enrollment: { readonly factor: MfaFactorName; readonly enrollmentToken: string; readonly code: string },
  ): Promise<void> {
    const factor = parseFactor(enrollment?.factor);
    if (!factor) throw new MfaFactorRequestRejectedException('factor must be TOTP, SMS or EMAIL', 'factor');
    const params = {
      factorType: toWireName(factor),
      enrollmentToken: enrollment.enrollmentToken,
      enrollmentData: { passCode: enrollment.code },
    };
    await this.checkCode(session, enrollment.code, factor === 'TOTP' ? TOTP_CODE : SENT_CODE, async () => {
      await this.call(ENROLL, params, session);
      return true;
    });
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
    await this.checkCode(session, code, TOTP_CODE, async () =>
      verified(VERIFY_TOTP, await this.call(VERIFY_TOTP, { totp: code }, session)),
    );
    await this.verifications.recordVerification(this.sessionKey(session), 'TOTP');
  }

  /**
   * Sends a step-up code by SMS or e-mail (GenAuth's `send-sms` / `send-email`, channel
   * `CHANNEL_VERIFY_MFA`) to the phone or address the user bound: never to one the request names, so a
   * stolen session cannot have the code sent to its thief. One send a minute per session and factor (429
   * `MFA_RESEND_TOO_SOON`); a factor the user has not bound is a 400.
   */
  async sendCode(session: MfaSession, request: { readonly factor: 'SMS' | 'EMAIL' }): Promise<MfaCodeSent> {
    const factor = parseFactor(request?.factor);
    if (factor !== 'SMS' && factor !== 'EMAIL')
      throw new MfaFactorRequestRejectedException('factor must be SMS or EMAIL', 'factor');
    const target = await this.boundTarget(session, factor);
    const resendAfterSeconds = await this.attempts.send(this.trier(session), factor);
    try {
      await this.call(SEND[factor], sendBody(target), session);
    } catch (error) {
      if (error instanceof MfaTooManyAttemptsException) throw new MfaResendTooSoonException(error.retryAfterSeconds);
      throw error;
    }
    return { factor, sentTo: masked(target), resendAfterSeconds };
  }

  /**
   * Verifies a step-up code of any factor the user holds: TOTP as {@link verifyTotp}, SMS or EMAIL against
   * the code {@link sendCode} sent (GenAuth's `pre-check-code`). GenAuth's check does not use a code up, so
   * the library does: a code is accepted once, on every replica that shares the attempts' store. Wrong
   * codes are limited as for TOTP; a right one records the verification for the session.
   */
  async verifyCode(
    session: MfaSession,
    proof: { readonly factor: MfaFactorName; readonly code: string },
  ): Promise<void> {
    const factor = parseFactor(proof?.factor);
    if (factor === 'TOTP') return this.verifyTotp(session, proof.code);
    if (factor !== 'SMS' && factor !== 'EMAIL')
      throw new MfaFactorRequestRejectedException('factor must be TOTP, SMS or EMAIL', 'factor');
    const code = proof.code;
    await this.checkCode(session, code, SENT_CODE, async () => {
      const target = await this.boundTarget(session, factor);
      const valid = codeIsValid(CHECK_CODE, await this.call(CHECK_CODE, checkBody(target, code), session));
      return valid && (await this.attempts.firstUse(factor, target.address, code));
    });
    await this.verifications.recordVerification(this.sessionKey(session), factor);
  }

  /** Checks a code: refused at once while locked, a wrong (or used) one counted and answered with the tries left. */
  private async checkCode(session: MfaSession, code: string, shape: RegExp, check: () => Promise<boolean>) {
    const who = this.trier(session);
    await this.attempts.refuseWhileLocked(who);
    // GenAuth has not seen the token yet: a malformed code counts against the session, not the user it names.
    if (typeof code !== 'string' || !shape.test(code)) throw await this.attempts.wrong({ ...who, userId: undefined });
    let right: boolean;
    try {
      right = await check();
    } catch (error) {
      if (!(error instanceof MfaCodeRejectedException)) throw error;
      right = false;
    }
    if (!right) throw await this.attempts.wrong(who);
  }

  private async boundTarget(session: MfaSession, factor: 'SMS' | 'EMAIL'): Promise<CodeTarget> {
    const target = targetOf(await this.listEnrolledFactors(session), factor);
    if (!target) throw new MfaFactorRequestRejectedException(`${factor} is not bound for this user`, 'factor');
    return target;
  }

  /** After an enrollment or a reset: every replica forgets the user's bindings; an enrollment counts as verified. */
  private async changed(session: MfaSession, enrolled: MfaFactor | undefined): Promise<void> {
    const userId = session.userId ?? subjectOf(session.accessToken);
    if (userId) await this.bindings.invalidate({ userId, userIdType: 'user_id' });
    else this.logger.warn('a factor changed for a token without sub: cached bindings expire with their TTL');
    if (enrolled) await this.verifications.recordVerification(this.sessionKey(session), enrolled);
  }

  private trier(session: MfaSession): CodeTrier {
    return trierOf(session);
  }

  private sessionKey(session: MfaSession): string {
    return sessionKeyOf(session);
  }

  private call(at: GenAuthCallSite, params: Record<string, unknown>, session: MfaSession): Promise<unknown> {
    return callAsUser(this.client, this.settings.appId, at, params, session);
  }
}
