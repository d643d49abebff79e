import type { MfaFactor } from '../mfa-factor.js';
import type { MfaUserRef } from '../mfa-management.types.js';
import type { MfaDenial } from '../guard/mfa-denial.js';

/** The event name of decisions on Nest's event emitter: `@OnEvent(MFA_DECISION_EVENT)`. */
export const MFA_DECISION_EVENT = 'mfa.decision';

/**
 * What the guard decided: `allowed`; `denied` (401 or 403, `code` says which); `unavailable` (503);
 * `failed_open` (GenAuth could not answer and the route fails open); `report_only` (a denial that a
 * report-only route or a grace period let through; `code` says which).
 */
export type MfaDecisionOutcome = 'allowed' | 'denied' | 'unavailable' | 'failed_open' | 'report_only';

/** One decision of the guard, as `onDecision` and `@OnEvent(MFA_DECISION_EVENT)` receive it. */
export interface MfaDecisionEvent {
  readonly outcome: MfaDecisionOutcome;
  /** The denial given, or that would have been given (absent when allowed). */
  readonly code?: MfaDenial['code'];
  /** Nest's context type: `http`, `graphql`, `ws`, `rpc`, ... */
  readonly transport: string;
  /** The route, as `Controller.handler`. */
  readonly route: string;
  /** The user checked (absent when none was found). */
  readonly user?: MfaUserRef;
  /** What the route required (absent when the decision came before the policy, e.g. no user). */
  readonly policy?: { readonly mode: 'anyOf' | 'allOf'; readonly factors: readonly MfaFactor[] };
  /** The factors the user lacks (`MFA_NOT_BOUND`). */
  readonly missingFactors?: readonly MfaFactor[];
  /** Whether the answer came from the cache (or from an earlier guard on the same request). */
  readonly fromCache: boolean;
  /** How long the guard waited for GenAuth, in ms, when it did. */
  readonly lookupMs?: number;
  /** The end of the grace period, for a `report_only` decision in one (ISO 8601). */
  readonly enforceFrom?: string;
}
