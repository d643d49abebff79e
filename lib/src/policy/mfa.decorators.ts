import { SetMetadata } from '@nestjs/common';
import type { MfaPolicyInput } from '../contracts/policy.js';
import { MFA_METADATA } from '../contracts/tokens.js';
import { MfaPolicyError } from '../errors/mfa-policy.error.js';
import { compilePolicy } from './policy-compiler.js';
import { enforceFromTime } from './rollout.js';

/**
 * Declares the MFA policy of a controller or a route; a route's policy overrides its controller's.
 * The policy is checked here, at decoration time: an unknown factor throws at start-up.
 * @example
 * ```ts
 * @MfaPolicy({ allOf: ['SMS', 'TOTP'] })
 * @Post('transfer')
 * transfer() {}
 * ```
 */
export const MfaPolicy = (policy: MfaPolicyInput): ClassDecorator & MethodDecorator =>
  SetMetadata(MFA_METADATA.policy, compilePolicy(policy));

/** Exempts a route (or a whole controller) from the MFA guard. */
export const SkipMfa = (skip = true): ClassDecorator & MethodDecorator => SetMetadata(MFA_METADATA.skip, skip);

/**
 * Lets requests to a route through when GenAuth cannot answer (the guard logs a warning each time).
 * Without it, the module's `failOpen` option decides (fail closed by default).
 */
export const MfaFailOpen = (failOpen = true): ClassDecorator & MethodDecorator =>
  SetMetadata(MFA_METADATA.failOpen, failOpen);

/**
 * Puts a route (or a controller) in report-only mode: the handler runs, and the denial that enforcing
 * would have given is logged. `@MfaReportOnly(false)` enforces a route of a report-only controller or
 * module. A route's declaration overrides its controller's, which overrides the module's `reportOnly`.
 */
export const MfaReportOnly = (reportOnly = true): ClassDecorator & MethodDecorator =>
  SetMetadata(MFA_METADATA.reportOnly, reportOnly);

/**
 * A grace period: before `date` the route (or controller) is report-only, and a denied request's response
 * carries the `enforceFromHeader` when one is configured; from `date` on it is enforced. The date is a
 * `Date` or an ISO 8601 string with a time zone, checked here: a bad one throws at start-up.
 * @example
 * ```ts
 * @MfaEnforceFrom('2027-01-15T00:00:00Z')
 * @Get('export')
 * export() {}
 * ```
 */
export function MfaEnforceFrom(date: Date | string): ClassDecorator & MethodDecorator {
  const time = enforceFromTime(date);
  if (time === undefined) {
    throw new MfaPolicyError(
      `MfaEnforceFrom: ${JSON.stringify(date)} is not a date; give a Date or an ISO 8601 string with a time zone`,
    );
  }
  return SetMetadata(MFA_METADATA.enforceFrom, time);
}
