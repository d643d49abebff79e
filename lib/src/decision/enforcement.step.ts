import type { MfaDenialOutcome } from '../contracts/decision.js';
import type { MfaDenial } from '../contracts/denial.js';
import type { MfaRoute } from '../contracts/route.js';
import { MfaUnavailableError, MfaUserRejectedError } from '../errors/mfa-lookup.errors.js';

/**
 * What a denial becomes on a route: given (`denied`, or `unavailable` for a 503) where the route is
 * enforced; let through as `report_only` where it is report-only or in its grace period (before
 * `enforceFrom`). `graceUntil` is the end of the grace period when that is why it was let through.
 */
export function enforcementStep(
  route: MfaRoute,
  denial: MfaDenial,
  now: number,
): { outcome: MfaDenialOutcome; graceUntil: number | undefined } {
  if (route.reportOnly) return { outcome: 'report_only', graceUntil: undefined };
  if (route.enforceFrom !== undefined && now < route.enforceFrom) {
    return { outcome: 'report_only', graceUntil: route.enforceFrom };
  }
  const outcome =
    denial.code === 'MFA_UNAVAILABLE' ? 'unavailable' : denial.code === 'MFA_STEP_UP_REQUIRED' ? 'step_up' : 'denied';
  return { outcome, graceUntil: undefined };
}

/**
 * What a failed lookup means: an identifier GenAuth refused is this user's problem (401, never failing
 * open); anything else is GenAuth not answering (503, with its `Retry-After` when it gave one), which a
 * route that fails open (`@MfaFailOpen`, `failOpen`) lets through.
 */
export function lookupFailureStep(
  route: MfaRoute,
  error: unknown,
  defaultRetryAfterSeconds: number,
): { denial: MfaDenial; failOpen: boolean } {
  if (error instanceof MfaUserRejectedError) {
    return { denial: { code: 'MFA_USER_UNRESOLVED', status: 401 }, failOpen: false };
  }
  const retryAfterSeconds = error instanceof MfaUnavailableError ? error.retryAfterSeconds : defaultRetryAfterSeconds;
  return { denial: { code: 'MFA_UNAVAILABLE', status: 503, retryAfterSeconds }, failOpen: route.failOpen };
}
