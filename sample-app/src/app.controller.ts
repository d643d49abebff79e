import { Controller, Get } from '@nestjs/common';

/** The public landing route: what the sample shows. */
@Controller()
export class AppController {
  @Get()
  index() {
    return {
      name: 'nestjs-genauth-mfa sample',
      routes: {
        'POST /auth/demo-token': 'demo only: a JWT for a demo user',
        'GET /me': 'your MFA bindings',
        'GET /vault/totp': 'TOTP required',
        'GET /vault/any-of': 'SMS or FACE',
        'GET /vault/all-of': 'SMS and EMAIL',
        'GET /reports/summary': 'controller policy: EMAIL',
        'GET /reports/audit': 'route override: FACE or TOTP',
        'GET /reports/status': '@SkipMfa',
        'PUT /admin/users/:userId/mfa-status': 'admin with TOTP: change a user binding',
        'GET /web': 'browser pages: enrollment redirect, report-only, grace period',
        'GET /docs': 'OpenAPI document (the MFA answers of guarded routes)',
        'GET /health': 'health check: GenAuth reachable, circuit breaker',
      },
    };
  }
}
