import type { CircuitState } from '../contracts/decision.js';
import type { RouteDecisionCounts } from '../contracts/route.js';

/** Names of the metrics (OpenTelemetry), their attributes and their values. */
export const MFA_METRICS = {
  decisions: 'genauth.mfa.decisions',
  lookupDuration: 'genauth.mfa.lookup.duration',
  cacheRequests: 'genauth.mfa.cache.requests',
  breakerState: 'genauth.mfa.circuit_breaker.state',
} as const;

/** What the resolver counts for the metrics. */
export interface LookupCounts {
  cacheHits: number;
  cacheMisses: number;
}

// The slice of @opentelemetry/api this file uses, so that the library compiles without it installed.
interface Attributes {
  [key: string]: string;
}
interface ObservableResult {
  observe(value: number, attributes?: Attributes): void;
}
interface Observable {
  addCallback(callback: (result: ObservableResult) => void): void;
  removeCallback(callback: (result: ObservableResult) => void): void;
}
interface Meter {
  createHistogram(
    name: string,
    options: { description: string; unit: string; advice?: { explicitBucketBoundaries: number[] } },
  ): { record(value: number, attributes?: Attributes): void };
  createObservableCounter(name: string, options: { description: string; unit: string }): Observable;
  createObservableGauge(name: string, options: { description: string; unit: string }): Observable;
}
export interface OpenTelemetryApi {
  metrics: { getMeter(name: string, version?: string): Meter };
}

/** What the instruments read when an SDK collects. */
export interface MetricSources {
  routes: readonly RouteDecisionCounts[];
  /** Decisions other than `allowed`, by `outcome|code|policy`. */
  others: ReadonlyMap<string, number>;
  lookups: LookupCounts;
  breakerStates: (() => CircuitState)[];
}

// Lookups take milliseconds to seconds: finer buckets than the SDK's default (which starts at 5 s).
const LOOKUP_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Registers the instruments on `api`'s global meter provider (a no-op until the app registers an SDK).
 * Counters are read at collection time from plain integers, so the guard's warm path only adds one.
 * Returns the histogram's recorder and a function that removes the callbacks.
 */
export function registerMetrics(
  api: OpenTelemetryApi,
  version: string,
  sources: MetricSources,
): { recordLookup(seconds: number, attributes: Attributes): void; stop(): void } {
  const meter = api.metrics.getMeter('nestjs-genauth-mfa', version);
  const decisions = meter.createObservableCounter(MFA_METRICS.decisions, {
    description: 'Decisions of the MFA guard, by outcome, denial code and policy.',
    unit: '{decision}',
  });
  const cache = meter.createObservableCounter(MFA_METRICS.cacheRequests, {
    description: "Reads of the guard's binding cache, by result.",
    unit: '{request}',
  });
  const breaker = meter.createObservableGauge(MFA_METRICS.breakerState, {
    description: 'State of the circuit breaker in front of GenAuth: 1 for the current state, 0 for the others.',
    unit: '1',
  });
  const lookups = meter.createHistogram(MFA_METRICS.lookupDuration, {
    description: "Duration of the guard's lookups of a user's bindings at GenAuth.",
    unit: 's',
    advice: { explicitBucketBoundaries: LOOKUP_BUCKETS_S },
  });

  const observeDecisions = (result: ObservableResult) => {
    const allowed = new Map<string, number>();
    for (const route of sources.routes) allowed.set(route.policy, (allowed.get(route.policy) ?? 0) + route.allowed);
    for (const [policy, value] of allowed) {
      result.observe(value, { 'genauth.mfa.outcome': 'allowed', 'genauth.mfa.policy': policy });
    }
    for (const [key, value] of sources.others) {
      const [outcome, code, policy] = key.split('|') as [string, string, string];
      result.observe(value, { 'genauth.mfa.outcome': outcome, 'genauth.mfa.code': code, 'genauth.mfa.policy': policy });
    }
  };
  const observeCache = (result: ObservableResult) => {
    result.observe(sources.lookups.cacheHits, { 'genauth.mfa.cache.result': 'hit' });
    result.observe(sources.lookups.cacheMisses, { 'genauth.mfa.cache.result': 'miss' });
  };
  const observeBreaker = (result: ObservableResult) => {
    for (const state of sources.breakerStates) {
      const current = state();
      for (const each of ['closed', 'open', 'half_open'] as const) {
        result.observe(each === current ? 1 : 0, { 'genauth.mfa.circuit_breaker.state': each });
      }
    }
  };
  decisions.addCallback(observeDecisions);
  cache.addCallback(observeCache);
  breaker.addCallback(observeBreaker);
  return {
    recordLookup: (seconds, attributes) => lookups.record(seconds, attributes),
    stop() {
      decisions.removeCallback(observeDecisions);
      cache.removeCallback(observeCache);
      breaker.removeCallback(observeBreaker);
    },
  };
}
