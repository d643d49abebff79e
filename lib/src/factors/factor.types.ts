import type { MfaFactor } from '../contracts/mfa-factor.js';

/** The signed-in user a `MfaFactorService` call acts for: their GenAuth access token, and their session. */
export interface MfaSession {
  /** The user's GenAuth access token (what `POST /api/v3/signin` or GenAuth's hosted login gave). */
  readonly accessToken: string;
  /** The user's id, for dropping cached bindings. Default: the token's `sub`. */
  readonly userId?: string;
  /**
   * The session the verification record is kept under: what the guard's `stepUp.sessionKey` gives for
   * this session's requests. Default `mfaSessionKey(accessToken)`, the guard's default too.
   */
  readonly sessionKey?: string;
}

/** A factor the user has bound. */
export interface MfaEnrolledFactor {
  readonly factorId: string;
  /** The factor, in the library's names (`TOTP` for the wire's `OTP`). */
  readonly factor: MfaFactor;
  /** What it is bound to: `{ phoneNumber, phoneCountryCode }` for SMS, `{ email }` for EMAIL. */
  readonly profile: Readonly<Record<string, unknown>>;
}

/** What to enroll: TOTP, or SMS to a phone, or EMAIL to an address. */
export type MfaEnrollmentRequest =
  | { readonly factor: 'TOTP' | 'OTP' }
  | { readonly factor: 'SMS'; readonly phone: string; readonly phoneCountryCode?: string }
  | { readonly factor: 'EMAIL'; readonly email: string };

/** An enrollment under way: complete it within a minute with the code. */
export interface MfaEnrollment {
  readonly factor: MfaFactor;
  readonly enrollmentToken: string;
  /** When the token expires (GenAuth: a minute after it was given). */
  readonly expiresAt: Date;
  /** For TOTP: what the user adds to an authenticator app. The secret is the user's: show it, never log it. */
  readonly totp?: { readonly uri: string; readonly secret: string; readonly qrCodeDataUrl: string };
}

/** A step-up code sent by SMS or e-mail. */
export interface MfaCodeSent {
  readonly factor: 'SMS' | 'EMAIL';
  /** Where it went, masked (`•••• 0002`, `b•••@example.com`): what the page may show. */
  readonly sentTo: string;
  /** Seconds before another code may be sent. */
  readonly resendAfterSeconds: number;
}

/**
 * One WebAuthn ceremony started at GenAuth: its `ticket` (send it back with the browser's answer) and the
 * options for the browser, in WebAuthn's JSON (`optionsJSON` of `@simplewebauthn/browser`'s
 * `startRegistration` / `startAuthentication`, or `PublicKeyCredential.parse*OptionsFromJSON`).
 */
export interface MfaPasskeyCeremony {
  readonly ticket: string;
  /** `PublicKeyCredentialCreationOptionsJSON` or `PublicKeyCredentialRequestOptionsJSON`, as GenAuth gave it. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** The browser's answer to a ceremony, with its ticket. */
export interface MfaPasskeyProof {
  readonly ticket: string;
  /** `RegistrationResponseJSON` or `AuthenticationResponseJSON` (`PublicKeyCredential.toJSON()`). */
  readonly credential: Readonly<Record<string, unknown>>;
}

/** How GenAuth files a registered authenticator (`authenticatorCode`). */
export type MfaPasskeyKind = 'FINGERPRINT' | 'FACE' | 'OTHER';
