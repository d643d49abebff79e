import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { MfaBindingResolver } from '../bindings/mfa-binding.resolver.js';
import { probeGenAuth, type GenAuthProbe } from '../management/genauth-probe.js';
import { MfaManagementService } from '../management/mfa-management.service.js';

/** Options of {@link MfaHealthIndicator.isHealthy}. */
export interface MfaHealthOptions {
  /** GenAuth is asked at most once per interval, however often the check is polled. Default 10000 ms. */
  intervalMs?: number;
}

interface Probe {
  readonly at: number;
  readonly answer: Promise<GenAuthProbe>;
}

/**
 * A `@nestjs/terminus` health indicator: GenAuth reachable (a cheap signed call, where "user not found"
 * counts as reachable and a rejected key does not: `credentials: 'refused'` says it is a configuration
 * error), the guard's circuit breaker, and the shared store's state when one is used, from start-up on.
 * GenAuth is called at most once per `intervalMs`.
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
  ) {}

  /** `up` when GenAuth answers; `down` (terminus answers 503) when it cannot, or refuses the key. */
  async isHealthy<const Key extends string>(
    key: Key,
    options: MfaHealthOptions = {},
  ): Promise<HealthIndicatorResult<Key>> {
    const session = this.indicators.check(key);
    const { reachable, credentials, latencyMs, error } = await this.ask(options.intervalMs ?? 10_000);
    const store = this.bindings.storeHealth();
    const details = {
      reachable,
      ...(credentials === 'refused' ? { credentials } : {}),
      latencyMs,
      circuit: this.bindings.circuitState,
      ...(store ? { store: store.status } : {}),
      ...(error ? { error } : {}),
    };
    return reachable ? session.up(details) : session.down(details);
  }

  private ask(intervalMs: number): Probe['answer'] {
    const now = Date.now();
    if (this.probe && now - this.probe.at < intervalMs) return this.probe.answer;
    const answer = probeGenAuth(this.service);
    this.probe = { at: now, answer };
    return answer;
  }
}
