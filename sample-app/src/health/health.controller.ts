import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { MfaHealthIndicator } from 'nestjs-genauth-mfa/terminus';

/** `GET /health`: GenAuth reachable (asked at most once per 10 s), and the guard's circuit breaker. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mfa: MfaHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.mfa.isHealthy('genauth')]);
  }
}
