import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { MFA_BINDING_CACHE, type MfaBindingCache } from '../cache/mfa-binding-cache.interface.js';
import { RedisMfaBindingCache } from '../cache/redis/redis-mfa-binding.cache.js';
import { GenAuthApiError, isGenAuthUnavailable } from '../errors/genauth.errors.js';
import { MfaBindingResolver } from '../guard/mfa-binding.resolver.js';
import { MfaManagementService } from '../mfa-management.service.js';

/** Options of {@link MfaHealthIndicator.isHealthy}. */
export interface MfaHealthOptions {
  /** GenAuth is asked at most once per interval, however often the check is polled. Default 10000 ms. */
  intervalMs?: number;
}

interface Probe {
  readonly at: number;
  readonly answer: Promise<{ reachable: boolean; latencyMs: number; error?: string }>;
}

// An identifier no pool holds: GenAuth answers "user not found", which proves it signed and answered.
const PROBE_USER_ID = 'nestjs-genauth-mfa-health-probe';
// Signature and credential errors: GenAuth answered, but refuses this app's key.
const CREDENTIAL_ERRORS = new Set([1300, 1301, 1302, 1303, 1304, 1305, 1306]);

/**
 * A `@nestjs/terminus` health indicator: GenAuth reachable (a cheap signed call, where "user not found"
 * counts as reachable and a rejected key does not), the guard's circuit breaker, and the Redis store's
 * state when one is used. GenAuth is called at most once per `intervalMs`.
 * @example
 * ```ts
 * @Get('health')
 * @HealthCheck()
 * check() {
 *   return this.health.check([() => this.mfa.isHealthy('genauth')]);
 * }
 * ```
 */
@Injectable()
export class MfaHealthIndicator {
  private probe: Probe | undefined;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly service: MfaManagementService,
    private readonly bindings: MfaBindingResolver,
    @Inject(MFA_BINDING_CACHE) private readonly cache: MfaBindingCache,
  ) {}

  /** `up` when GenAuth answers; `down` (terminus answers 503) when it cannot, or refuses the key. */
  async isHealthy<const Key extends string>(
    key: Key,
    options: MfaHealthOptions = {},
  ): Promise<HealthIndicatorResult<Key>> {
    const session = this.indicators.check(key);
    const { reachable, latencyMs, error } = await this.ask(options.intervalMs ?? 10_000);
    const details = {
      reachable,
      latencyMs,
      circuit: this.bindings.circuitState,
      ...(this.cache instanceof RedisMfaBindingCache ? { store: this.cache.isDown ? 'down' : 'up' } : {}),
      ...(error ? { error } : {}),
    };
    return reachable ? session.up(details) : session.down(details);
  }

  private ask(intervalMs: number): Probe['answer'] {
    const now = Date.now();
    if (this.probe && now - this.probe.at < intervalMs) return this.probe.answer;
    const started = performance.now();
    const answer = this.service.getUserMfaInfo({ userId: PROBE_USER_ID, userIdType: 'user_id' }).then(
      () => ({ reachable: true, latencyMs: Math.round(performance.now() - started) }),
      (error: unknown) => {
        const latencyMs = Math.round(performance.now() - started);
        const refused = error instanceof GenAuthApiError && CREDENTIAL_ERRORS.has(error.apiCode ?? 0);
        if (!refused && !isGenAuthUnavailable(error) && error instanceof GenAuthApiError) {
          return { reachable: true, latencyMs };
        }
        return { reachable: false, latencyMs, error: (error as Error).message };
      },
    );
    this.probe = { at: now, answer };
    return answer;
  }
}
