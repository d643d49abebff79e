import { randomUUID } from 'node:crypto';
import type { EmulatorAuth } from './emulator-auth.js';
import type { EmulatedUser, EmulatorState } from './emulator-state.js';
import type { EmulatorTokens } from './emulator-tokens.js';
import type { EmulatorUserSide } from './emulator-user-side.js';

/** An HTTP answer: status, JSON body, extra headers. */
export interface Answer {
  statusCode: number;
  body: object;
  headers?: Record<string, string>;
}

/** What a route handler works with. */
export interface RouteContext {
  readonly state: EmulatorState;
  readonly params: Record<string, unknown>;
  readonly headers: Readonly<Record<string, string>>;
  /** The emulator's clock, ms since the epoch. */
  readonly now: number;
  /** `x-authing-lang`: messages follow it, as GenAuth's do. */
  readonly english: boolean;
  readonly mfaInfoFormat: 'boolean' | 'string';
  readonly auth: EmulatorAuth;
  /** Lifetime of the management tokens it issues, in seconds. */
  readonly tokenTtlSeconds: number;
  /** The application a user-side request names (`x-authing-app-id` or `x-genauth-app-id`). */
  readonly appId: string | undefined;
  /** The signed-in user of a user-side request (its token checked). */
  readonly user: EmulatedUser | undefined;
  readonly tokens: EmulatorTokens;
  readonly userSide: EmulatorUserSide;
  readonly userTokenTtlSeconds: number;
  /** How `mfa-totp-verify` answers a wrong code (the sources disagree): `verified: false`, or apiCode 6001. */
  readonly wrongTotpAnswer: 'verified-false' | 'error';
  /** Tells the emulator that a user's MFA state changed (or a code was checked), for its listeners. */
  changed(user: EmulatedUser, what: EmulatorChange): void;
}

/**
 * What changed a user's MFA state, as the emulator's listeners hear it: on the user side (`enrolled`,
 * `reset`, `verified`, `verify-failed`), or through the Management API or the emulator's own methods
 * (`status`: set-mfa-status or `setBindings`; `deleted`: `removeUser`).
 */
export type EmulatorChange = 'enrolled' | 'reset' | 'verified' | 'verify-failed' | 'status' | 'deleted';

/** An endpoint: its handler, and the auth a request must carry (Management's, a user token's, or none). */
export interface EmulatorRoute {
  readonly auth: 'management' | 'user' | 'none';
  readonly handle: (context: RouteContext) => Answer;
}

/** The success envelope. */
export function ok(data: object): Answer {
  return { statusCode: 200, body: { statusCode: 200, message: 'Operation successful', requestId: randomUUID(), data } };
}

/** A business error: HTTP 200 with the code in the body, as the Management API answers. */
export function error(statusCode: number, apiCode: number, message: string): Answer {
  return { statusCode: 200, body: { statusCode, apiCode, message, requestId: randomUUID() } };
}
