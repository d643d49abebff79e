import { Inject, Injectable, Logger, type ExecutionContext } from '@nestjs/common';
import { MFA_FACTORS, type MfaFactor } from '../contracts/mfa-factor.js';
import { MFA_STEP_UP_SETTINGS } from '../contracts/tokens.js';
import type { MfaUserRef } from '../contracts/user-ref.js';
import type { MfaFactorTimes, MfaStepUpSettings } from '../contracts/verification.js';
import { longestStepUpWindowMs } from '../policy/policy-compiler.js';
import { isThenable } from '../util/thenable.js';
import { claimsOnCarrier, timesOfClaims } from './auth-claims.js';
import { bearerTokenOf, mfaSessionKey } from './session-key.js';
import { VerificationRecord } from './verification-record.js';

/** A record outlives every window in use, and a minute at least. */
const MIN_RECORD_TTL_MS = 60_000;

/**
 * When a request's user last verified each factor, for step-up routes: from the request's claims
 * (`auth_time` with `amr` or `acr`), and from the library's own record per session, which
 * `MfaFactorService` writes when a code is verified or an enrollment completed. Inject it to record a
 * verification made another way.
 */
@Injectable()
export class MfaVerifications {
  private readonly logger = new Logger('MfaGuard');
  private readonly record: VerificationRecord;
  private hookFailed = false;

  /** @internal Nest creates it; its settings view is not public. */
  constructor(@Inject(MFA_STEP_UP_SETTINGS) private readonly settings: MfaStepUpSettings) {
    this.record = new VerificationRecord(settings.store, settings.maxEntries, this.logger);
  }

  /**
   * Records that a session verified a factor (now, unless `at` is given), kept as long as the longest
   * `verifiedWithin` in use. `sessionKey` is what the guard's `stepUp.sessionKey` gives for the session's
   * requests (by default `mfaSessionKey(bearerToken)`).
   */
  recordVerification(sessionKey: string, factor: MfaFactor, at: number = Date.now()): Promise<void> {
    if (!MFA_FACTORS.includes(factor)) return Promise.resolve();
    return this.record.record(sessionKey, factor, at, Math.max(longestStepUpWindowMs(), MIN_RECORD_TTL_MS));
  }

  /**
   * Records that a user verified a factor, whatever the session (GenAuth's `mfa:verified` webhook, which
   * names no session). Counts for step-up only with `stepUp.userVerifications`, for `user_id` users.
   */
  recordUserVerification(userId: string, factor: MfaFactor, at: number = Date.now()): Promise<void> {
    if (!MFA_FACTORS.includes(factor) || typeof userId !== 'string' || userId === '') return Promise.resolve();
    const ttl = Math.max(longestStepUpWindowMs(), MIN_RECORD_TTL_MS);
    return this.record.record(userRecordKey(userId), factor, at, ttl);
  }

  /** What the record says a session verified, and when (`{}` when nothing). @internal */
  async sessionVerifications(sessionKey: string): Promise<MfaFactorTimes> {
    return this.record.verifications(sessionKey);
  }

  /** What the claims and the record say of a request, the latest time per factor. Never throws. @internal */
  verifiedAt(
    context: ExecutionContext,
    carrier: unknown,
    now: number,
    user?: MfaUserRef,
  ): MfaFactorTimes | Promise<MfaFactorTimes> {
    const fromClaims = timesOfClaims(
      this.hook(() => this.claims(context, carrier)),
      this.settings.amr,
      this.settings.acr,
      now,
    );
    const sessionKey = this.hook(() => this.sessionKey(context, carrier));
    const perUser =
      this.settings.userVerifications && user?.userIdType === 'user_id'
        ? this.record.verifications(userRecordKey(user.userId))
        : undefined;
    const recorded = sessionKey === undefined ? undefined : this.record.verifications(sessionKey);
    if (isThenable(recorded) || isThenable(perUser)) {
      return Promise.all([recorded, perUser]).then(([a, b]) => latest(latest(fromClaims, a ?? {}), b ?? {}));
    }
    if (recorded === undefined && perUser === undefined) return fromClaims;
    return latest(latest(fromClaims, recorded ?? {}), perUser ?? {});
  }

  private claims(context: ExecutionContext, carrier: unknown) {
    return this.settings.claims ? this.settings.claims(context) : claimsOnCarrier(carrier);
  }

  private sessionKey(context: ExecutionContext, carrier: unknown): string | undefined {
    if (this.settings.sessionKey) return this.settings.sessionKey(context);
    const token = bearerTokenOf(carrier);
    return token === undefined ? undefined : mfaSessionKey(token);
  }

  /** An app's hook that throws proves nothing (a step-up challenge follows), logged once. */
  private hook<T>(read: () => T): T | undefined {
    try {
      const value = read();
      return typeof value === 'string' && value === '' ? undefined : value;
    } catch (error) {
      if (!this.hookFailed) {
        this.hookFailed = true;
        this.logger.error(`a stepUp hook failed (logged once; the request is challenged): ${(error as Error).message}`);
      }
      return undefined;
    }
  }
}

/** The record's key of a user: apart from session keys, which are hashes. */
function userRecordKey(userId: string): string {
  return `user:${userId}`;
}

function latest(a: MfaFactorTimes, b: MfaFactorTimes): MfaFactorTimes {
  const times: MfaFactorTimes = { ...a };
  for (const factor of MFA_FACTORS) {
    const at = b[factor];
    if (at !== undefined && (times[factor] === undefined || at > times[factor])) times[factor] = at;
  }
  return times;
}
