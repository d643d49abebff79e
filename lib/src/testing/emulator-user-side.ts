import { WrongCodes } from '../util/wrong-codes.js';

/**
 * The apiCodes of the user side: 2333, 2020, 6001 and 6003 from Authing's error-code table, 6010 the
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

/** What the user side keeps between requests: enrollments under way, recent wrong codes. */
export class EmulatorUserSide {
  readonly enrollments = new Map<string, PendingEnrollment>();
  /** Wrong TOTP codes per user: five in five minutes answer 429 until the oldest is five minutes old. */
  readonly wrongCodes = new WrongCodes();

  /** The code an SMS or e-mail enrollment "sent", for tests (the emulator sends nothing). */
  sentCode(enrollmentToken: string): string | undefined {
    return this.enrollments.get(enrollmentToken)?.code;
  }
}
