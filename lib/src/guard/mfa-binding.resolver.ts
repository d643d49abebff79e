import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { InMemoryMfaBindingCache } from '../cache/in-memory-mfa-binding.cache.js';
import { MFA_BINDING_CACHE, type MfaBindingCache } from '../cache/mfa-binding-cache.interface.js';
import { clampRetryAfterSeconds } from '../client/retry-policy.js';
import {
  GenAuthApiError,
  GenAuthRateLimitedError,
  GenAuthValidationError,
  isGenAuthUnavailable,
} from '../errors/genauth.errors.js';
import { MfaUnavailableError, MfaUserRejectedError } from '../errors/mfa-lookup.errors.js';
import { maskOfFactors } from '../mfa-factor.js';
import { MFA_LOOKUP_SETTINGS } from '../mfa.constants.js';
import { MfaManagementService } from '../mfa-management.service.js';
import type { MfaUserRef } from '../mfa-management.types.js';
import type { MfaLookupSettings } from '../mfa-options.validation.js';
import { CircuitBreaker, type CircuitState } from './circuit-breaker.js';
import { withDeadline } from '../deadline.js';
import { StateLog } from '../state-log.js';
import { MfaTelemetry } from '../observability/mfa-telemetry.js';
import type { LookupCounts } from '../observability/mfa-metrics.js';
import { LookupLimiter, LookupQueueTimeout } from './lookup-limiter.js';

const USER_NOT_FOUND = 2004;

/**
 * What users have bound, as the guard sees it: a cache in front of
 * {@link MfaManagementService.getUserMfaInfo}, one upstream call at a time per user, a bound on calls at
 * once across users, and a circuit breaker. Inject it to {@link invalidate} a user whose factors changed
 * outside this process.
 */
@Injectable()
export class MfaBindingResolver implements OnModuleDestroy {
  private readonly logger = new Logger('MfaGuard');
  private readonly inFlight = new Map<string, Promise<number>>();
  private readonly breaker: CircuitBreaker;
  private readonly limiter: LookupLimiter;
  private readonly unsubscribe: () => void;
  /** Longest a guard waits for a lookup: one attempt per retry, each within `timeoutMs`. */
  private readonly lookupDeadlineMs: number;
  // userIdTypes that may have entries in the cache: a change made by another type must drop those too. The
  // module's userIdType always counts: with a shared store, other replicas cache under it.
  private readonly cachedTypes = new Set<string>();
  private readonly storeState = new StateLog(this.logger, 'The binding cache store', 'falling back to GenAuth');
  private readonly memory: InMemoryMfaBindingCache | undefined;
  private readonly counts: LookupCounts;
  // Bumped by every invalidation, so that a lookup that started before it does not cache a stale answer.
  private epoch = 0;

  /** @internal Nest creates it; its settings view is not public. */
  constructor(
    private readonly service: MfaManagementService,
    @Inject(MFA_BINDING_CACHE) private readonly cache: MfaBindingCache,
    @Inject(MFA_LOOKUP_SETTINGS) private readonly options: MfaLookupSettings,
    /** @internal Where the guard reports its decisions. */
    readonly telemetry: MfaTelemetry,
  ) {
    const { failureThreshold, resetTimeoutMs } = options.circuitBreaker;
    this.breaker = new CircuitBreaker(failureThreshold, resetTimeoutMs, Date.now, (open, failures) => {
      if (open) {
        this.logger.warn(
          `circuit open: GenAuth failed ${failures} times in a row; lookups answer 503 without calling it, ` +
            `with a trial call every ${resetTimeoutMs / 1000} s`,
        );
      } else this.logger.log('circuit closed: GenAuth answers again');
    });
    telemetry.watchBreaker(() => this.breaker.state);
    this.counts = telemetry.lookups;
    this.lookupDeadlineMs = options.lookupDeadlineMs;
    this.limiter = new LookupLimiter(options.maxConcurrentLookups, this.lookupDeadlineMs);
    this.unsubscribe = service.onStatusChanged((user) => void this.invalidate(user));
    this.memory = cache instanceof InMemoryMfaBindingCache ? cache : undefined;
  }

  /** The circuit breaker's state: `closed` (GenAuth is called), `open` (503 without calling), `half_open`. */
  get circuitState(): CircuitState {
    return this.breaker.state;
  }

  /** The cache key of a user; `userIdType` must be a valid type (it holds no `:`), which keeps keys unambiguous. */
  static key(userIdType: string, userId: string): string {
    return `${userIdType}:${userId}`;
  }

  /**
   * The in-memory cache's answer for a user, when the default cache is in use and holds one; no I/O.
   * @internal
   */
  memoryMask(userIdType: string, userId: string): number | undefined {
    const mask = this.memory?.getUser(userIdType, userId);
    if (mask !== undefined) this.counts.cacheHits += 1;
    return mask;
  }

  /**
   * The bit mask of the user's bound factors (EMAIL 1, SMS 2, TOTP 4, FACE 8): synchronously on an
   * in-memory cache hit, else a promise. Rejects with {@link MfaUnavailableError} when GenAuth
   * cannot answer in time, or {@link MfaUserRejectedError} when the identifier cannot be looked up.
   */
  boundMask(userIdType: string, userId: string): number | Promise<number> {
    // The default in-memory cache is read without building a key: the warm path allocates nothing.
    if (this.memory) {
      const mask = this.memory.getUser(userIdType, userId);
      if (mask !== undefined) {
        this.counts.cacheHits += 1;
        return mask;
      }
      return this.load(MfaBindingResolver.key(userIdType, userId), userIdType, userId);
    }
    const key = MfaBindingResolver.key(userIdType, userId);
    let cached: unknown;
    try {
      cached = this.cache.get(key);
    } catch (error) {
      this.warnStore('read', error);
      return this.load(key, userIdType, userId);
    }
    if (isThenable(cached)) {
      return Promise.resolve(cached).then(
        (mask) => {
          this.storeState.succeeded();
          if (typeof mask !== 'number') return this.load(key, userIdType, userId);
          this.counts.cacheHits += 1;
          return mask;
        },
        (error: unknown) => {
          this.warnStore('read', error);
          return this.load(key, userIdType, userId);
        },
      );
    }
    if (typeof cached === 'number') {
      this.storeState.succeeded();
      this.counts.cacheHits += 1;
      return cached;
    }
    if (cached !== undefined) this.warnStore('read', new Error(`get answered ${typeof cached}, not a number`));
    else this.storeState.succeeded();
    return this.load(key, userIdType, userId);
  }

  /**
   * Forgets a user's cached binding (for changes made outside {@link MfaManagementService}). When entries
   * under other identifier types exist (the same person looked up by `email` and by `user_id`), the
   * whole cache is dropped: it cannot know which of them is this user, and changes are rare.
   * Never rejects: a failing store is logged.
   */
  async invalidate(user: MfaUserRef): Promise<void> {
    const userIdType = user.userIdType ?? this.options.userIdType;
    this.epoch += 1;
    const key = MfaBindingResolver.key(userIdType, user.userId);
    this.inFlight.delete(key);
    const otherTypes = userIdType !== this.options.userIdType || [...this.cachedTypes].some((t) => t !== userIdType);
    try {
      if (otherTypes && this.cache.clear) {
        this.inFlight.clear();
        this.cachedTypes.clear();
        await this.cache.clear();
      } else {
        if (otherTypes) this.warnStore('clear', new Error('the store has no clear(); other identifier types stay'));
        await this.cache.delete(key);
      }
    } catch (error) {
      this.warnStore('delete', error);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe();
    try {
      await this.cache.close?.();
    } catch (error) {
      this.warnStore('close', error);
    }
  }

  private load(key: string, userIdType: string, userId: string): Promise<number> {
    this.counts.cacheMisses += 1;
    const running = this.inFlight.get(key);
    if (running) return running;
    const blockedMs = this.breaker.blockedForMs();
    if (blockedMs > 0) {
      return Promise.reject(new MfaUnavailableError(clampRetryAfterSeconds(blockedMs / 1000), 'circuit open'));
    }
    const epoch = this.epoch;
    const fetched = this.limiter
      .run(() => this.fetch(userIdType, userId))
      .then(
        (mask) => {
          if (epoch === this.epoch) this.store(key, userIdType, mask);
          return mask;
        },
        (error: unknown) => {
          if (error instanceof LookupQueueTimeout) {
            throw new MfaUnavailableError(this.options.unavailableRetryAfterSeconds, error.message);
          }
          throw error;
        },
      );
    const lookup = this.withinDeadline(fetched);
    this.inFlight.set(key, lookup);
    const forget = () => {
      if (this.inFlight.get(key) === lookup) this.inFlight.delete(key);
    };
    lookup.then(forget, forget);
    return lookup;
  }

  /** The guard never waits longer than one lookup may take, queue included; the call itself runs on. */
  private withinDeadline(lookup: Promise<number>): Promise<number> {
    return withDeadline(lookup, this.lookupDeadlineMs, () => {
      const detail = `no answer within ${this.lookupDeadlineMs} ms`;
      return new MfaUnavailableError(this.options.unavailableRetryAfterSeconds, detail);
    });
  }

  private async fetch(userIdType: string, userId: string): Promise<number> {
    const started = performance.now();
    const took = () => (performance.now() - started) / 1000;
    try {
      const info = await this.service.getUserMfaInfo({ userId, userIdType: userIdType as MfaUserRef['userIdType'] });
      this.breaker.success();
      this.telemetry.lookupDone(took(), 'found');
      return maskOfFactors(info.boundFactors);
    } catch (error) {
      if (error instanceof GenAuthApiError && error.apiCode === USER_NOT_FOUND) {
        this.breaker.success();
        this.telemetry.lookupDone(took(), 'not_found');
        return 0;
      }
      this.telemetry.lookupDone(took(), 'error', error);
      // Bad input says nothing of GenAuth's health: it must neither open the breaker nor fail open.
      if (error instanceof GenAuthValidationError || (error instanceof GenAuthApiError && error.statusCode === 400)) {
        throw new MfaUserRejectedError(error.message, { cause: error });
      }
      this.breaker.failure();
      const retryAfterSeconds =
        error instanceof GenAuthRateLimitedError && error.retryAfterMs !== undefined
          ? clampRetryAfterSeconds(error.retryAfterMs / 1000)
          : this.options.unavailableRetryAfterSeconds;
      const detail = (error as Error).message;
      if (!isGenAuthUnavailable(error)) this.logger.error(`MFA lookup failed: ${detail}`);
      throw new MfaUnavailableError(retryAfterSeconds, detail, { cause: error });
    }
  }

  private store(key: string, userIdType: string, mask: number): void {
    const ttl = mask === 0 ? this.options.cache.negativeTtlMs : this.options.cache.ttlMs;
    if (ttl <= 0) return;
    this.cachedTypes.add(userIdType);
    try {
      const stored = this.cache.set(key, mask, ttl);
      if (isThenable(stored)) Promise.resolve(stored).catch((error: unknown) => this.warnStore('write', error));
    } catch (error) {
      this.warnStore('write', error);
    }
  }

  private warnStore(operation: string, error: unknown): void {
    this.storeState.failed(operation, error);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}
