import type { ExecutionContext } from '@nestjs/common';
import type { MfaAttemptStore } from './attempts.js';
import type { MfaFactor, MfaFactorName } from './mfa-factor.js';

/** When each factor was last verified, in ms since the epoch (a factor never verified is absent). */
export type MfaFactorTimes = Partial<Record<MfaFactor, number>>;

/**
 * What an identity provider says of how the user authenticated (OpenID Connect / RFC 8176): `auth_time`
 * in seconds since the epoch, `amr` values (`otp`, `sms`, `face`, `mfa`, ...) and an `acr`.
 */
export interface MfaAuthClaims {
  readonly auth_time?: unknown;
  readonly amr?: unknown;
  readonly acr?: unknown;
}

/**
 * Where the library keeps its own record of recent verifications, per session key: shared by every
 * replica when it is a shared store. `RedisMfaBindingCache` is one; the guard never tests a store's class.
 */
export interface MfaVerificationStore {
  /** Records that `factor` was verified at `at` (ms) in the session, kept `ttlMs`. */
  recordVerification(sessionKey: string, factor: MfaFactor, at: number, ttlMs: number): void | Promise<void>;
  /** What the session has verified, and when; undefined or `{}` when nothing. */
  verifications(sessionKey: string): MfaFactorTimes | undefined | Promise<MfaFactorTimes | undefined>;
}

/** The step-up settings (`stepUp`, `stepUpUrl`), validated. @internal */
export interface MfaStepUpSettings {
  /** The session of a request, for the verification record; default a hash of its bearer token. */
  readonly sessionKey: ((context: ExecutionContext) => string | undefined) | undefined;
  /** The authentication claims of a request; default `auth_time`, `amr`, `acr` of its user. */
  readonly claims: ((context: ExecutionContext) => MfaAuthClaims | undefined) | undefined;
  /** Which factors each `amr` value proves (RFC 8176 defaults, plus the app's). */
  readonly amr: Readonly<Record<string, readonly MfaFactor[]>>;
  /** Which factors each `acr` value proves. */
  readonly acr: Readonly<Record<string, readonly MfaFactor[]>>;
  /** The record's store: the given one, else `cache.store` when it keeps verifications, else memory. */
  readonly store: MfaVerificationStore | undefined;
  /** Most sessions the in-memory record holds. */
  readonly maxEntries: number;
  /** Whether verifications recorded per user (webhooks' `mfa:verified`) count too. */
  readonly userVerifications: boolean;
  /** Used codes and counts of wrong codes and sends: the given store, else memory (one replica). */
  readonly attempts: MfaAttemptStore | undefined;
  /** The factors a verified passkey counts as, for step-up routes (may be empty). */
  readonly passkeyProves: readonly MfaFactor[];
}

/** Options of step-up (`MfaModuleOptions.stepUp`). */
export interface MfaStepUpModuleOptions {
  /**
   * The session of a request: the verification record is kept per session. Default: a hash of the
   * request's `authorization: Bearer` token (`mfaSessionKey(token)`), which is also what
   * `MfaFactorService` records under by default. Return undefined when the request has no session.
   */
  sessionKey?: (context: ExecutionContext) => string | undefined;
  /**
   * Where the request's authentication claims are. Default: `auth_time`, `amr` and `acr` on the request's
   * user (as a verified JWT's payload is). GenAuth's tokens carry none of them today.
   */
  claims?: (context: ExecutionContext) => MfaAuthClaims | undefined;
  /**
   * Which factors an `amr` value proves, beside RFC 8176's (`otp` TOTP, `sms` SMS, `face` FACE, `mfa` any).
   * RFC 8176 has no value for e-mail codes: map yours here, e.g. `{ email: ['EMAIL'] }`.
   */
  amr?: Record<string, readonly MfaFactorName[]>;
  /** Which factors an `acr` value proves, e.g. `{ 'urn:example:mfa': ['TOTP', 'SMS'] }`. */
  acr?: Record<string, readonly MfaFactorName[]>;
  /** Where the verification record is kept. Default: `cache.store` when it keeps verifications, else memory. */
  store?: MfaVerificationStore;
  /**
   * Where used codes and the counts of wrong codes and of sends are kept, so that no replica accepts a
   * code twice or more wrong codes than the limit. Default: `stepUp.store`, else `cache.store`, when it
   * keeps attempts (`RedisMfaBindingCache` does), else memory, which holds for one replica only.
   */
  attempts?: MfaAttemptStore;
  /**
   * Which factors a passkey verified through `MfaPasskeyService` counts as on step-up routes. Default
   * `['TOTP']`: a passkey is, like an authenticator app, a device the user holds, and it cannot be phished.
   * `[]` keeps passkeys out of step-up; `['TOTP', 'SMS', 'EMAIL']` lets them stand in for codes too.
   */
  passkeyProves?: readonly MfaFactorName[];
  /** Most sessions the in-memory record holds; the oldest go first. Default 100000. */
  maxEntries?: number;
  /**
   * Also count verifications recorded per user rather than per session: `mfa:verified` events that
   * `MfaWebhookModule` receives from GenAuth. Weaker than the per-session record: a verification in any of
   * the user's sessions (another device, or the owner while an attacker holds a stolen session) then
   * counts for all of them. Used only for guards whose users are identified by `user_id`. Default false.
   */
  userVerifications?: boolean;
}
