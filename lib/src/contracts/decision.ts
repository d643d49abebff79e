import type { MfaDenial, MfaDenialCode } from './denial.js';
import type { MfaFactor } from './mfa-factor.js';
import type { MfaRequirement, RequiredFactors } from './policy.js';
import type { MfaUserRef } from './user-ref.js';

/** The event name of decisions on Nest's event emitter: `@OnEvent(MFA_DECISION_EVENT)`. */
export const MFA_DECISION_EVENT = 'mfa.decision';

/**
 * What the guard decided: `allowed`; `denied` (401 or 403, `code` says which); `step_up` (a step-up
 * challenge, 401 `MFA_STEP_UP_REQUIRED`); `unavailable` (503); `failed_open` (GenAuth could not answer and
 * the route fails open); `report_only` (a denial that a report-only route or a grace period let through;
 * `code` says which).
 */
export type MfaDecisionOutcome = 'allowed' | 'denied' | 'step_up' | 'unavailable' | 'failed_open' | 'report_only';

/** Every outcome but `allowed`: those of a denial, given or let through. @internal */
export type MfaDenialOutcome = Exclude<MfaDecisionOutcome, 'allowed'>;

/**
 * One decision of the engine, before any transport expresses it. @internal
 */
export interface MfaDecision {
  readonly outcome: MfaDecisionOutcome;
  /** The denial given (denied, unavailable) or that enforcing would give (report_only, failed_open). */
  readonly denial: MfaDenial | undefined;
  /** What the route required, once known (not when the decision came before the policy). */
  readonly required: RequiredFactors | undefined;
  /** Whether the answer needed no upstream lookup (the cache, or an earlier guard on the request). */
  readonly fromCache: boolean;
  /** How long the engine waited for GenAuth, in ms, when it did. */
  readonly lookupMs: number | undefined;
  /** The end of the grace period (ms since the epoch), for a `report_only` decision in one. */
  readonly enforceFrom: number | undefined;
}

/** One decision of the guard, as `onDecision` and `@OnEvent(MFA_DECISION_EVENT)` receive it. */
export interface MfaDecisionEvent {
  readonly outcome: MfaDecisionOutcome;
  /** The denial given, or that would have been given (absent when allowed). */
  readonly code?: MfaDenialCode;
  /** Nest's context type: `http`, `graphql`, `ws`, `rpc`, ... */
  readonly transport: string;
  /** The route, as `Controller.handler`. */
  readonly route: string;
  /** The user checked (absent when none was found). */
  readonly user?: MfaUserRef;
  /** What the route required (absent when the decision came before the policy, e.g. no user). */
  readonly policy?: MfaRequirement;
  /** The factors the user lacks (`MFA_NOT_BOUND`). */
  readonly missingFactors?: readonly MfaFactor[];
  /** Whether the answer came from the cache (or from an earlier guard on the same request). */
  readonly fromCache: boolean;
  /** How long the guard waited for GenAuth, in ms, when it did. */
  readonly lookupMs?: number;
  /** The end of the grace period, for a `report_only` decision in one (ISO 8601). */
  readonly enforceFrom?: string;
}

/** Where a circuit breaker stands: calls go through, are refused, or one trial call may go. */
export type CircuitState = 'closed' | 'open' | 'half_open';
