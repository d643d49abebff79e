import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  MFA_DECISION_EVENT,
  type CircuitState,
  type MfaDecisionEvent,
  type MfaDecisionOutcome,
} from '../contracts/decision.js';
import type { RouteDecisionCounts } from '../contracts/route.js';
import type { NestCoreServices } from '../contracts/nest-core.js';
import type { MfaTelemetrySettings } from '../contracts/settings.js';
import { MFA_NEST_CORE, MFA_TELEMETRY_SETTINGS } from '../contracts/tokens.js';
import { LIBRARY_VERSION } from '../contracts/version.js';
import { importOptional } from '../util/optional-import.js';
import { isThenable } from '../util/thenable.js';
import { registerMetrics, type LookupCounts, type OpenTelemetryApi } from './mfa-metrics.js';

interface EventEmitterLike {
  emit(event: string, payload: unknown): unknown;
}

/**
 * Where decisions and lookups are reported: the `onDecision` option, Nest's event emitter (when the app
 * has `EventEmitterModule`), and OpenTelemetry metrics (when `@opentelemetry/api` is installed). The
 * guard builds no event unless someone listens; counting costs it one integer increment.
 * @internal
 */
@Injectable()
export class MfaTelemetry implements OnModuleInit, OnModuleDestroy {
  /** Whether anyone hears of single decisions; when false the guard builds no event. */
  listening: boolean;
  readonly lookups: LookupCounts = { cacheHits: 0, cacheMisses: 0 };
  private readonly logger = new Logger('MfaGuard');
  private readonly routes: RouteDecisionCounts[] = [];
  private readonly others = new Map<string, number>();
  private readonly breakerStates: (() => CircuitState)[] = [];
  private emitter: EventEmitterLike | undefined;
  private metrics: ReturnType<typeof registerMetrics> | undefined;
  private readonly failedKinds = new Set<string>();

  constructor(
    @Inject(MFA_TELEMETRY_SETTINGS) private readonly settings: MfaTelemetrySettings,
    @Inject(MFA_NEST_CORE) private readonly core: NestCoreServices,
  ) {
    this.listening = settings.onDecision !== undefined;
  }

  async onModuleInit(): Promise<void> {
    if (this.settings.decisionEvents) {
      const events = await importOptional<{ EventEmitter2?: unknown; default?: { EventEmitter2?: unknown } }>(
        '@nestjs/event-emitter',
      );
      const token = events?.EventEmitter2 ?? events?.default?.EventEmitter2;
      if (typeof token === 'function') {
        try {
          this.emitter = this.core.moduleRef.get(token, { strict: false });
        } catch {
          // The package is installed but the app has no EventEmitterModule: nothing to emit on.
        }
      }
      this.listening ||= this.emitter !== undefined;
    }
    if (this.settings.metrics) {
      const api = await importOptional<OpenTelemetryApi & { default?: OpenTelemetryApi }>('@opentelemetry/api');
      const found = api?.metrics ? api : api?.default;
      if (found?.metrics) {
        this.metrics = registerMetrics(found, LIBRARY_VERSION, {
          routes: this.routes,
          others: this.others,
          lookups: this.lookups,
          breakerStates: this.breakerStates,
        });
      }
    }
  }

  onModuleDestroy(): void {
    this.metrics?.stop();
  }

  /** The counts of one route of one guard (read once per route). */
  route(policy: string): RouteDecisionCounts {
    const counts: RouteDecisionCounts = { policy, allowed: 0 };
    this.routes.push(counts);
    return counts;
  }

  /** Counts a decision other than `allowed` (those are counted on their route). */
  count(outcome: Exclude<MfaDecisionOutcome, 'allowed'>, code: string, policy: string): void {
    const key = `${outcome}|${code}|${policy}`;
    this.others.set(key, (this.others.get(key) ?? 0) + 1);
  }

  /**
   * Hands a decision to the listeners. A listener's result is not awaited (a slow one adds no latency); a
   * throw or a rejection never reaches the request, and is logged once per listener and kind of error.
   */
  decision(event: MfaDecisionEvent): void {
    const hook = this.settings.onDecision;
    if (hook) this.notify('onDecision', () => hook(event));
    const emitter = this.emitter;
    if (emitter) this.notify('a listener of MFA_DECISION_EVENT', () => emitter.emit(MFA_DECISION_EVENT, event));
  }

  private notify(listener: string, call: () => unknown): void {
    try {
      const result = call();
      if (isThenable(result)) Promise.resolve(result).catch((error: unknown) => this.listenerFailed(listener, error));
    } catch (error) {
      this.listenerFailed(listener, error);
    }
  }

  private listenerFailed(listener: string, error: unknown): void {
    const kind = `${listener}: ${error instanceof Error ? error.name : typeof error}`;
    // A bounded set: listeners are two, and a listener's kinds of error are few.
    if (this.failedKinds.has(kind) || this.failedKinds.size >= 100) return;
    this.failedKinds.add(kind);
    const detail = error instanceof Error ? error.message : String(error);
    this.logger.error(`${listener} failed (logged once per kind of failure; the request was answered): ${detail}`);
  }

  /** Records an upstream lookup's duration. */
  lookupDone(seconds: number, result: 'found' | 'not_found' | 'error', error?: unknown): void {
    if (!this.metrics) return;
    this.metrics.recordLookup(
      seconds,
      error === undefined
        ? { 'genauth.mfa.lookup.result': result }
        : { 'genauth.mfa.lookup.result': result, 'error.type': (error as Error).name ?? 'Error' },
    );
  }

  /** Reports a circuit breaker's state in the metrics. */
  watchBreaker(state: () => CircuitState): void {
    this.breakerStates.push(state);
  }
}
