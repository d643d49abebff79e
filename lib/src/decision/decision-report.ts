import type { MfaDecision, MfaDecisionEvent } from '../contracts/decision.js';
import type { MfaCheck } from '../contracts/route.js';

/** A decision as `onDecision` and the event emitter receive it. */
export function decisionEvent(check: MfaCheck, decision: MfaDecision): MfaDecisionEvent {
  const { denial, required, lookupMs, enforceFrom } = decision;
  return {
    outcome: decision.outcome,
    ...(denial ? { code: denial.code } : {}),
    transport: check.transport,
    route: check.route.name,
    ...(check.user ? { user: { ...check.user } } : {}),
    ...(required ? { policy: { mode: required.mode, factors: required.factors } } : {}),
    ...(denial?.code === 'MFA_NOT_BOUND' ? { missingFactors: denial.missingFactors } : {}),
    fromCache: decision.fromCache,
    ...(lookupMs === undefined ? {} : { lookupMs }),
    ...(enforceFrom === undefined ? {} : { enforceFrom: new Date(enforceFrom).toISOString() }),
  };
}

/** The log line of a denial that a report-only route or a grace period let through. */
export function reportOnlyLine(check: MfaCheck, decision: MfaDecision): string {
  const { denial, enforceFrom } = decision;
  const why = enforceFrom === undefined ? 'report-only' : `grace period until ${new Date(enforceFrom).toISOString()}`;
  const who = check.user ? `user ${JSON.stringify(check.user.userId)}` : 'a request without a user';
  const missing = denial?.code === 'MFA_NOT_BOUND' ? ` (missing ${denial.missingFactors.join(', ')})` : '';
  return `${why}: ${check.route.name} would deny ${who} with ${denial?.code}${missing}`;
}
