import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { MFA_STATUS_CACHE, type MfaStatusCache } from '../cache/mfa-status-cache.interface.js';
import { GenAuthApiError, GenAuthRateLimitedError, isGenAuthUnavailable } from '../errors/genauth.errors.js';
import { maskOfFactors } from '../mfa-factor.js';
import { MFA_RESOLVED_OPTIONS } from '../mfa.constants.js';
import { MfaManagementService } from '../mfa-management.service.js';
import type { MfaUserRef } from '../mfa-module-options.interface.js';
import type { ResolvedMfaOptions } from '../mfa-options.resolver.js';
import { CircuitBreaker } from './circuit-breaker.js';

const USER_NOT_FOUND = 2004;

/** GenAuth could not say what a user has bound. */
export class MfaStatusUnavailableError extends Error {
  constructor(
    /** How long the caller should wait, in seconds. */
    readonly retryAfterSeconds: number,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`MFA status unavailable: ${detail}`, options);
    this.name = 'MfaStatusUnavailableError';
  }
}

/**
 * What users have bound, as the guard sees it: a cache in front of
 * {@link MfaManagementService.getUserMfaInfo}, one upstream call at a time per user, and a circuit
 * breaker. Inject it to {@link invalidate} a user whose factors changed outside this process.
 */
@Injectable()
export class MfaBindingResolver implements OnModuleDestroy {
  private readonly logger = new Logger('MfaGuard');
  private readonly inFlight = new Map<string, Promise<number>>();
  private readonly breaker: CircuitBreaker;
  private readonly unsubscribe: () => void;
  // Bumped by every invalidation, so that a lookup that started before it does not cache a stale answer.
  private epoch = 0;

  constructor(
    private readonly service: MfaManagementService,
    @Inject(MFA_STATUS_CACHE) private readonly cache: MfaStatusCache,
    @Inject(MFA_RESOLVED_OPTIONS) private readonly options: ResolvedMfaOptions,
  ) {
    this.breaker = new CircuitBreaker(options.breakerThreshold, options.breakerResetMs);
    this.unsubscribe = service.onStatusChanged((user) => void this.invalidate(user));
  }

  /** The cache key of a user. */
  static key(userIdType: string, userId: string): string {
    return `${userIdType}:${userId}`;
  }

  /**
   * The bit mask of the user's bound factors (EMAIL 1, SMS 2, TOTP 4, FACE 8): synchronously on an
   * in-memory cache hit, else a promise. Rejects with {@link MfaStatusUnavailableError}.
   */
  boundMask(key: string, userIdType: string, userId: string): number | Promise<number> {
    let cached: number | undefined | Promise<number | undefined>;
    try {
      cached = this.cache.get(key);
    } catch (error) {
      this.logger.warn(`binding cache read failed: ${(error as Error).message}`);
      return this.load(key, userIdType, userId);
    }
    if (typeof cached === 'number') return cached;
    if (cached === undefined) return this.load(key, userIdType, userId);
    return cached.then(
      (mask) => (typeof mask === 'number' ? mask : this.load(key, userIdType, userId)),
      (error: Error) => {
        this.logger.warn(`binding cache read failed: ${error.message}`);
        return this.load(key, userIdType, userId);
      },
    );
  }

  /** Forgets a user's cached binding (for changes made outside {@link MfaManagementService}). */
  async invalidate(user: MfaUserRef): Promise<void> {
    const key = MfaBindingResolver.key(user.userIdType ?? this.options.userIdType, user.userId);
    this.epoch += 1;
    this.inFlight.delete(key);
    await this.cache.delete(key);
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  private load(key: string, userIdType: string, userId: string): Promise<number> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const blockedMs = this.breaker.blockedForMs();
    if (blockedMs > 0) {
      return Promise.reject(new MfaStatusUnavailableError(Math.ceil(blockedMs / 1000), 'circuit open'));
    }
    const epoch = this.epoch;
    const lookup = this.fetch(userIdType, userId).then((mask) => {
      if (epoch === this.epoch) this.store(key, mask);
      return mask;
    });
    this.inFlight.set(key, lookup);
    const forget = () => {
      if (this.inFlight.get(key) === lookup) this.inFlight.delete(key);
    };
    lookup.then(forget, forget);
    return lookup;
  }

  private async fetch(userIdType: string, userId: string): Promise<number> {
    try {
      const info = await this.service.getUserMfaInfo({ userId, userIdType: userIdType as MfaUserRef['userIdType'] });
      this.breaker.success();
      return maskOfFactors(info.boundFactors);
    } catch (error) {
      if (error instanceof GenAuthApiError && error.apiCode === USER_NOT_FOUND) {
        this.breaker.success();
        return 0;
      }
      this.breaker.failure();
      const retryAfterSeconds =
        error instanceof GenAuthRateLimitedError && error.retryAfterMs !== undefined
          ? Math.max(1, Math.ceil(error.retryAfterMs / 1000))
          : this.options.unavailableRetryAfterSeconds;
      const detail = (error as Error).message;
      if (!isGenAuthUnavailable(error)) this.logger.error(`MFA lookup failed: ${detail}`);
      throw new MfaStatusUnavailableError(retryAfterSeconds, detail, { cause: error });
    }
  }

  private store(key: string, mask: number): void {
    const ttl = mask === 0 ? this.options.cacheNegativeTtlMs : this.options.cacheTtlMs;
    try {
      const stored = this.cache.set(key, mask, ttl);
      if (stored) stored.catch((error: Error) => this.logger.warn(`binding cache write failed: ${error.message}`));
    } catch (error) {
      this.logger.warn(`binding cache write failed: ${(error as Error).message}`);
    }
  }
}
