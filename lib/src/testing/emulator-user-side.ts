import { WrongCodes } from '../util/wrong-codes.js';
import { EmulatorPasskeys } from './emulator-passkeys.js';
import type { EmulatorSentCode } from './emulator-options.js';

/**
 * The apiCodes of the user side: 2333, 2020, 6001 and 6003 from Authing's error-code table, 6010 and 6020 the
 * emulator's own (docs/wire-protocol.md).
 */
export const USER_API_CODES = {
  /** Wrong username or password ("用户名或密码错误"). */
  BAD_CREDENTIALS: 2333,
  /** Not signed in: no valid user token ("尚未登录"; missing, malformed, or expired). */
  NOT_SIGNED_IN: 2020,
  /** A wrong TOTP code (GenAuth's documented 6001). */
  WRONG_TOTP: 6001,
  /** No TOTP code given, or no TOTP bound (GenAuth's documented 6003). */
  TOTP_MISSING: 6003,
  /** An enrollment token unknown or older than its minute. */
  ENROLLMENT_EXPIRED: 6010,
  /** A passkey (WebAuthn) credential refused: its message says why. */
  PASSKEY_REFUSED: 6020,
} as const;

/** How long an enrollment token lasts, as GenAuth documents (one minute). */
export const ENROLLMENT_TTL_MS = 60_000;

interface PendingEnrollment {
  readonly userId: string;
  readonly factorType: string;
  readonly secret?: string;
  readonly code?: string;
  readonly profile: Record<string, unknown>;
  readonly expiresAt: number;
}

/** A step-up code "sent" by SMS or e-mail: valid until `expiresAt`, checked any number of times. */
interface SentCode {
  readonly code: string;
  readonly sentAt: number;
  readonly expiresAt: number;
}

/** How long a sent code stays valid (GenAuth does not document it), and how often a target may get one. */
export const SENT_CODE_TTL_MS = 5 * 60_000;
export const RESEND_INTERVAL_MS = 60_000;

/** What the user side keeps between requests: enrollments under way, codes sent, recent wrong codes. */
export class EmulatorUserSide {
  readonly enrollments = new Map<string, PendingEnrollment>();
  /** Codes sent, per `type:target:channel`; the latest per target for tests. */
  readonly codes = new Map<string, SentCode>();
  readonly latestTo = new Map<string, string>();
  /** Hears of each code sent (`GenAuthEmulatorOptions.onCodeSent`). */
  onSent: ((sent: EmulatorSentCode) => void) | undefined;
  /** Wrong TOTP codes per user: five in five minutes answer 429 until the oldest is five minutes old. */
  readonly wrongCodes = new WrongCodes();
  /** Passkeys registered, and WebAuthn ceremonies under way. */
  readonly passkeys = new EmulatorPasskeys();

  /** The code an SMS or e-mail enrollment "sent", for tests (the emulator sends nothing). */
  sentCode(enrollmentToken: string): string | undefined {
    return this.enrollments.get(enrollmentToken)?.code;
  }

  /** The latest code sent to a phone number or an e-mail address by `send-sms` / `send-email`. */
  codeSentTo(target: string): string | undefined {
    return this.latestTo.get(target);
  }
}
