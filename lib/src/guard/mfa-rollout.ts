import { SetMetadata } from '@nestjs/common';
import { MFA_ENFORCE_FROM_METADATA, MFA_REPORT_ONLY_METADATA } from '../mfa.constants.js';
import { MfaPolicyError } from '../errors/mfa-policy.error.js';

/**
 * The time (ms since the epoch) of an `enforceFrom` date: a `Date`, or an ISO 8601 string with a time zone
 * (`2027-01-15`, `2027-01-15T09:00:00Z`, `2027-01-15T09:00:00+08:00`). Anything else is a mistake to stop
 * the app for: a date read in the server's local zone would move with the server. Returns undefined when
 * the value is not a valid date.
 */
export function enforceFromTime(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string') return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(value.trim());
  if (!iso) return undefined;
  const time = Date.parse(value.trim());
  return Number.isNaN(time) ? undefined : time;
}

/**
 * Puts a route (or a controller) in report-only mode: the handler runs, and the denial that enforcing
 * would have given is logged. `@MfaReportOnly(false)` enforces a route of a report-only controller or
 * module. A route's declaration overrides its controller's, which overrides the module's `reportOnly`.
 */
export const MfaReportOnly = (reportOnly = true): ClassDecorator & MethodDecorator =>
  SetMetadata(MFA_REPORT_ONLY_METADATA, reportOnly);

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
  return SetMetadata(MFA_ENFORCE_FROM_METADATA, time);
}
