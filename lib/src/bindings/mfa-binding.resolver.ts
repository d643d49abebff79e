import { Inject, Injectable, Logger, Optional, type OnModuleDestroy } from '@nestjs/common';
import {
  MFA_BINDING_CACHE,
  type MfaBindingCache,
  type MfaBindingChange,
  type MfaStoreHealth,
} from '../contracts/binding-store.js';
import type { CircuitState } from '../contracts/decision.js';
import type { MfaLookupSettings } from '../contracts/settings.js';
import { MFA_LOOKUP_SETTINGS } from '../contracts/tokens.js';
import type { MfaUserRef, UserIdType } from '../contracts/user-ref.js';
import { MfaUnavailableError } from '../errors/mfa-lookup.errors.js';
import { MfaManagementService } from '../management/mfa-management.service.js';
import type { LookupCounts } from '../observability/mfa-metrics.js';
import { MfaTelemetry } from '../observability/mfa-telemetry.js';
import { withDeadline } from '../util/deadline.js';
import { isThenable } from '../util/thenable.js';
import { BindingMemory } from './binding-memory.js';
import { LookupLimiter, LookupQueueTimeout } from './lookup-limiter.js';
import { SharedLevel } from './shared-level.js';
import { UpstreamLookup } from './upstream-lookup.js';

/**
 * What users have bound, as the guard sees it: an in-memory level (always), a shared store behind it when
 * one is configured, then GenAuth, with one upstream call at a time per user, a bound on calls at once
 * across users, a circuit breaker and a deadline. Inject it to {@link invalidate} a user whose factors
 * changed outside this process.
 */
@Injectable()
export class MfaBindingResolver implements OnModuleDestroy {
  private readonly logger = new Logger('MfaGuard');
  private readonly memory: BindingMemory;
  private readonly shared: SharedLevel;
  private readonly upstream: UpstreamLookup;
  private readonly limiter: LookupLimiter;
  private readonly inFlight = new Map<string, Promise<number>>();
  private readonly counts: LookupCounts;
  private readonly stopWatching: () => void;
  private readonly unsubscribe: () => void;
  // userIdTypes that may have entries: a change made through another type must drop those too. The module's
  // userIdType always counts: with a shared store, other replicas cache under it.
  private readonly cachedTypes = new Set<string>();
  // Bumped by every change (here or on another replica), so that a lookup that started before it does not
  // keep a stale answer.
  private epoch = 0;

  /** @internal Nest creates it; its settings view is not public. */
  constructor(
    service: MfaManagementService,
    @Optional() @Inject(MFA_BINDING_CACHE) store: MfaBindingCache | null,
    @Inject(MFA_LOOKUP_SETTINGS) private readonly options: MfaLookupSettings,
    telemetry: MfaTelemetry,
  ) {
    this.shared = new SharedLevel(store ?? undefined, this.logger);
    this.memory = new BindingMemory(store?.memoryMaxEntries ?? options.cache.maxEntries);
    this.upstream = new UpstreamLookup(service, telemetry, options, this.logger);
    this.limiter = new LookupLimiter(options.maxConcurrentLookups, options.lookupDeadlineMs);
    this.counts = telemetry.lookups;
    telemetry.watchBreaker(() => this.upstream.breaker.state);
    this.unsubscribe = service.onStatusChanged((user) => void this.invalidate(user));
    this.stopWatching = this.shared.watch((change) => this.changedElsewhere(change));
  }

  /** The circuit breaker's state: `closed` (GenAuth is called), `open` (503 without calling), `half_open`. */
  get circuitState(): CircuitState {
    return this.upstream.breaker.state;
  }

  /** The shared store's health, or undefined when there is none. @internal */
  storeHealth(): MfaStoreHealth | undefined {
    return this.shared.health();
  }

  /** The cache key of a user; `userIdType` must be a valid type (it holds no `:`), which keeps keys unambiguous. */
  static key(userIdType: string, userId: string): string {
    return `${userIdType}:${userId}`;
  }

  /** The in-memory answer for a user, when there is one; no I/O, no allocation. @internal */
  memoryMask(userIdType: string, userId: string): number | undefined {
    const mask = this.memory.getUser(userIdType, userId);
    if (mask !== undefined) this.counts.cacheHits += 1;
    return mask;
  }

  /**
   * The bit mask of the user's bound factors: synchronously from memory, else a promise (the shared store,
   * then GenAuth). Rejects with {@link MfaUnavailableError} when GenAuth cannot answer in time, or
   * `MfaUserRejectedError` when the identifier cannot be looked up. @internal
   */
  boundMask(userIdType: UserIdType, userId: string): number | Promise<number> {
    const mask = this.memoryMask(userIdType, userId);
    if (mask !== undefined) return mask;
    const key = MfaBindingResolver.key(userIdType, userId);
    if (!this.shared.present) return this.load(key, userIdType, userId);
    const epoch = this.epoch;
    const stored = this.shared.read(key);
    if (isThenable(stored)) return stored.then((found) => this.fromStore(key, userIdType, userId, found, epoch));
    return this.fromStore(key, userIdType, userId, stored, epoch);
  }

  /**
   * Forgets a user's cached binding (for changes made outside {@link MfaManagementService}), here and, with
   * a shared store, on every replica. When entries under other identifier types may exist (the same person
   * looked up by `email` and by `user_id`), everything is dropped: which of them is this user cannot be
   * known, and changes are rare. Never rejects: a failing store is logged.
   */
  async invalidate(user: MfaUserRef): Promise<void> {
    const userIdType = user.userIdType ?? this.options.userIdType;
    const key = MfaBindingResolver.key(userIdType, user.userId);
    this.epoch += 1;
    this.inFlight.delete(key);
    this.memory.deleteUser(userIdType, user.userId);
    const otherTypes = userIdType !== this.options.userIdType || [...this.cachedTypes].some((t) => t !== userIdType);
    if (!otherTypes) return this.shared.forget(key);
    this.memory.clear();
    this.inFlight.clear();
    this.cachedTypes.clear();
    return this.shared.clear(key);
  }

  /** Forgets every cached binding, here and, with a store that can clear, on every replica. Never rejects. */
  async invalidateAll(): Promise<void> {
    this.epoch += 1;
    this.memory.clear();
    this.inFlight.clear();
    this.cachedTypes.clear();
    return this.shared.clear();
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe();
    this.stopWatching();
    await this.shared.close();
  }

  private changedElsewhere(change: MfaBindingChange): void {
    this.epoch += 1;
    if (change.kind === 'delete') {
      this.memory.delete(change.key);
      this.inFlight.delete(change.key);
    } else {
      this.memory.clear();
      this.inFlight.clear();
    }
  }

  private fromStore(key: string, userIdType: UserIdType, userId: string, mask: number | undefined, epoch: number) {
    if (mask === undefined) return this.load(key, userIdType, userId);
    this.counts.cacheHits += 1;
    if (epoch === this.epoch) this.remember(userIdType, userId, mask, this.shared.memoryTtlMs);
    return mask;
  }

  private load(key: string, userIdType: UserIdType, userId: string): Promise<number> {
    this.counts.cacheMisses += 1;
    const running = this.inFlight.get(key);
    if (running) return running;
    const refusal = this.upstream.refusal();
    if (refusal) return Promise.reject(refusal);
    const epoch = this.epoch;
    const fetched = this.limiter
      .run(() => this.upstream.fetch(userIdType, userId))
      .then(
        (mask) => {
          if (epoch === this.epoch) this.store(key, userIdType, userId, mask);
          return mask;
        },
        (error: unknown) => {
          if (error instanceof LookupQueueTimeout) {
            throw new MfaUnavailableError(this.options.unavailableRetryAfterSeconds, error.message);
          }
          throw error;
        },
      );
    // The guard never waits longer than one lookup may take, queue included; the call itself runs on.
    const deadlineMs = this.options.lookupDeadlineMs;
    const lookup = withDeadline(
      fetched,
      deadlineMs,
      () => new MfaUnavailableError(this.options.unavailableRetryAfterSeconds, `no answer within ${deadlineMs} ms`),
    );
    this.inFlight.set(key, lookup);
    const forget = () => {
      if (this.inFlight.get(key) === lookup) this.inFlight.delete(key);
    };
    lookup.then(forget, forget);
    return lookup;
  }

  /** Keeps an answer from GenAuth: in memory, and in the shared store. */
  private store(key: string, userIdType: string, userId: string, mask: number): void {
    const ttl = mask === 0 ? this.options.cache.negativeTtlMs : this.options.cache.ttlMs;
    if (ttl <= 0) return;
    this.cachedTypes.add(userIdType);
    this.remember(userIdType, userId, mask, this.shared.present ? this.shared.memoryTtlMs : ttl);
    if (this.shared.present) this.shared.write(key, mask, ttl);
  }

  /** Keeps an answer in memory for at most `maxTtlMs` (and the module's TTL for such an answer). */
  private remember(userIdType: string, userId: string, mask: number, maxTtlMs: number): void {
    const ttl = Math.min(maxTtlMs, mask === 0 ? this.options.cache.negativeTtlMs : this.options.cache.ttlMs);
    if (ttl <= 0) return;
    this.cachedTypes.add(userIdType);
    this.memory.setUser(userIdType, userId, mask, ttl);
  }
}
