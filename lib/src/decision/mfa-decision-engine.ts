import { Inject, Injectable, Logger } from '@nestjs/common';
import { MfaBindingResolver } from '../bindings/mfa-binding.resolver.js';
import type { MfaDecision, MfaDenialOutcome } from '../contracts/decision.js';
import type { MfaDenial } from '../contracts/denial.js';
import type { CompiledPolicy, RequiredFactors } from '../contracts/policy.js';
import type { MfaCheck, RouteDecisionCounts } from '../contracts/route.js';
import type { MfaGuardSettings } from '../contracts/settings.js';
import { MFA_GUARD_SETTINGS } from '../contracts/tokens.js';
import { userRefProblem, type MfaUserRef } from '../contracts/user-ref.js';
import { MfaTelemetry } from '../observability/mfa-telemetry.js';
import { isThenable } from '../util/thenable.js';
import type { MfaFactorTimes } from '../contracts/verification.js';
import { MfaVerifications } from '../verifications/mfa-verifications.js';
import { boundFactorsMet, notBoundDenial } from './bound-factors.step.js';
import { recencyStep } from './recency.step.js';
import { decisionEvent, reportOnlyLine } from './decision-report.js';
import { enforcementStep, lookupFailureStep } from './enforcement.step.js';

/** The decision of most requests: allowed from the cache, shared (it carries nothing of the request). */
const ALLOWED_FROM_CACHE: MfaDecision = Object.freeze({
  outcome: 'allowed',
  denial: undefined,
  required: undefined,
  fromCache: true,
  lookupMs: undefined,
  enforceFrom: undefined,
});

const UNRESOLVED: MfaDenial = Object.freeze({ code: 'MFA_USER_UNRESOLVED', status: 401 });

// Answers that took I/O, per request, so that a second MFA guard on the same request reuses them. A WeakMap
// rather than properties on the request: adding properties would change the request object's shape.
const answered = new WeakMap<object, { userIdType: string; userId: string; mask: number }>();

/**
 * The decision engine behind {@link MfaGuard}: given a route's settings and a user, one decision. It runs
 * the steps in order (the user can be looked up; the policy; the user's bindings; each requirement kind;
 * what a failed lookup means; report-only and grace periods) and reports the decision (metrics, events,
 * log lines). It knows nothing of transports: the guard hands the decision to one. Its members are not
 * public; a guard subclass with a constructor of its own injects it and passes it on.
 */
@Injectable()
export class MfaDecisionEngine {
  /** The clock of grace periods; tests replace it. @internal */
  now: () => number = () => Date.now();
  private readonly logger = new Logger('MfaGuard');

  /** @internal Nest creates it. */
  constructor(
    private readonly bindings: MfaBindingResolver,
    private readonly telemetry: MfaTelemetry,
    @Inject(MFA_GUARD_SETTINGS) private readonly settings: MfaGuardSettings,
    private readonly verifications: MfaVerifications,
  ) {}

  /** The counts of a route's decisions, for the metrics (asked once per route of each guard). @internal */
  countsFor(policy: CompiledPolicy): RouteDecisionCounts {
    return this.telemetry.route(
      policy.kind === 'dynamic' ? 'dynamic' : `${policy.required.mode}(${policy.required.factors.join(',')})`,
    );
  }

  /** Decides one request. @internal */
  decide(check: MfaCheck): MfaDecision | Promise<MfaDecision> {
    const { user, route } = check;
    // An identifier GenAuth cannot take is this user's problem, not an outage: 401, before any key is built.
    if (user === undefined || userRefProblem(user) !== undefined)
      return this.deny(check, UNRESOLVED, undefined, undefined);
    const policy = route.policy;
    if (policy === undefined) return ALLOWED_FROM_CACHE;
    if (policy.kind === 'static') return this.withBindings(check, user, policy.required);
    let required: RequiredFactors | Promise<RequiredFactors>;
    try {
      required = policy.resolve(check.context);
    } catch (error) {
      return this.policyFailed(check, error);
    }
    if (!isThenable(required)) return this.withBindings(check, user, required);
    return Promise.resolve(required).then(
      (found) => this.withBindings(check, user, found),
      (error: unknown) => this.policyFailed(check, error),
    );
  }

  private withBindings(
    check: MfaCheck,
    user: MfaUserRef,
    required: RequiredFactors,
  ): MfaDecision | Promise<MfaDecision> {
    const userIdType = user.userIdType ?? this.settings.userIdType;
    const userId = user.userId;
    // A warm in-memory answer first: it is what most requests get, and it needs no per-request memo.
    const warm = this.bindings.memoryMask(userIdType, userId);
    if (warm !== undefined) return this.conclude(check, required, warm, undefined);
    const key = check.requestKey;
    const earlier = key === undefined ? undefined : answered.get(key);
    if (earlier !== undefined && earlier.userId === userId && earlier.userIdType === userIdType) {
      return this.conclude(check, required, earlier.mask, undefined);
    }
    const mask = this.bindings.boundMask(userIdType, userId);
    if (typeof mask === 'number') return this.conclude(check, required, mask, undefined);
    const started = performance.now();
    return mask.then(
      (loaded) => {
        if (key !== undefined) answered.set(key, { userIdType, userId, mask: loaded });
        return this.conclude(check, required, loaded, performance.now() - started);
      },
      (error: unknown) => this.lookupFailed(check, required, error, performance.now() - started),
    );
  }

  /** Each requirement kind in turn; the first unmet one denies. */
  private conclude(
    check: MfaCheck,
    required: RequiredFactors,
    mask: number,
    lookupMs: number | undefined,
  ): MfaDecision | Promise<MfaDecision> {
    if (!boundFactorsMet(required, mask)) {
      const denial = notBoundDenial(required, mask, this.pageUrl(check, this.settings.enrollmentUrl));
      return this.deny(check, denial, required, lookupMs);
    }
    if (required.maxAgeMs === undefined) return this.allow(check, required, lookupMs);
    const now = this.now();
    const user = check.user && {
      userId: check.user.userId,
      userIdType: check.user.userIdType ?? this.settings.userIdType,
    };
    const times = this.verifications.verifiedAt(check.context, check.carrier, now, user);
    const recent = (found: MfaFactorTimes) => {
      const stepUpUrl = () => this.pageUrl(check, this.settings.stepUpUrl);
      const stale = recencyStep(required, found, now, mask, stepUpUrl);
      return stale === undefined ? this.allow(check, required, lookupMs) : this.deny(check, stale, required, lookupMs);
    };
    return isThenable(times) ? Promise.resolve(times).then(recent) : recent(times);
  }

  private allow(check: MfaCheck, required: RequiredFactors, lookupMs: number | undefined): MfaDecision {
    check.route.counts.allowed += 1;
    if (!this.telemetry.listening && lookupMs === undefined) return ALLOWED_FROM_CACHE;
    const decision: MfaDecision = {
      outcome: 'allowed',
      denial: undefined,
      required,
      fromCache: lookupMs === undefined,
      lookupMs,
      enforceFrom: undefined,
    };
    if (this.telemetry.listening) this.telemetry.decision(decisionEvent(check, decision));
    return decision;
  }

  /** A denial, given or (report-only, grace period) let through. */
  private deny(
    check: MfaCheck,
    denial: MfaDenial,
    required: RequiredFactors | undefined,
    lookupMs: number | undefined,
  ): MfaDecision {
    const { outcome, graceUntil } = enforcementStep(check.route, denial, this.now());
    const fromCache = lookupMs === undefined;
    return this.report(check, { outcome, denial, required, fromCache, lookupMs, enforceFrom: graceUntil });
  }

  private lookupFailed(check: MfaCheck, required: RequiredFactors, error: unknown, lookupMs: number): MfaDecision {
    const { denial, failOpen } = lookupFailureStep(check.route, error, this.settings.unavailableRetryAfterSeconds);
    if (!failOpen) return this.deny(check, denial, required, lookupMs);
    this.logger.warn(`failing open on ${check.route.name}: ${error instanceof Error ? error.message : String(error)}`);
    return this.report(check, {
      outcome: 'failed_open',
      denial,
      required,
      fromCache: false,
      lookupMs,
      enforceFrom: undefined,
    });
  }

  /** Counts a decision other than `allowed`, logs a let-through denial, and hands it to the listeners. */
  private report(
    check: MfaCheck,
    decision: MfaDecision & { outcome: MfaDenialOutcome; denial: MfaDenial },
  ): MfaDecision {
    this.telemetry.count(decision.outcome, decision.denial.code, check.route.counts.policy);
    if (decision.outcome === 'report_only') this.logger.log(reportOnlyLine(check, decision));
    if (this.telemetry.listening) this.telemetry.decision(decisionEvent(check, decision));
    return decision;
  }

  private pageUrl(check: MfaCheck, url: MfaGuardSettings['enrollmentUrl']): string | undefined {
    return typeof url === 'function' ? url(check.context) : url;
  }

  /** A bug in the app's policy function: a 500 for this request, and a log line that names the route. */
  private policyFailed(check: MfaCheck, error: unknown): never {
    const detail = error instanceof Error ? error.message : String(error);
    this.logger.error(`the policy function of ${check.route.name} failed: ${detail}`);
    throw error;
  }
}
