import { Controller, Get, Post, UseGuards } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MfaEnforceFrom,
  MfaModule,
  MfaOptionsError,
  MfaPolicyError,
  MfaReportOnly,
  RequireMfaBound,
  type MfaModuleOptions,
} from 'nestjs-genauth-mfa';
import { emulatorOptions } from '../support/emulator-app.js';
import { useEmulator } from '../support/emulator-hooks.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import {
  createGuardApp,
  HandlerCalls,
  HeaderAuthGuard,
  type AdapterName,
  type GuardApp,
} from '../support/guard-app.js';

const GRACE_MS = 60_000;
// Decorators run once, at import: the grace period ends a minute after this file was loaded.
const GRACE_END = new Date(Date.now() + GRACE_MS);

@UseGuards(HeaderAuthGuard)
@Controller('ro')
class RolloutController {
  constructor(private readonly calls: HandlerCalls) {}
  private ok() {
    this.calls.count += 1;
    return { ok: true };
  }
  @MfaReportOnly() @UseGuards(RequireMfaBound('TOTP')) @Get('report') report() {
    return this.ok();
  }
  @MfaEnforceFrom(GRACE_END) @UseGuards(RequireMfaBound('TOTP')) @Get('grace') grace() {
    return this.ok();
  }
  @MfaEnforceFrom('2020-01-01T00:00:00Z') @UseGuards(RequireMfaBound('TOTP')) @Get('past') past() {
    return this.ok();
  }
  @UseGuards(RequireMfaBound('TOTP')) @Get('enforced') enforced() {
    return this.ok();
  }
  @MfaReportOnly(false) @UseGuards(RequireMfaBound('TOTP')) @Get('always') always() {
    return this.ok();
  }
  @UseGuards(RequireMfaBound('TOTP')) @Post('enforced') post() {
    return this.ok();
  }
  /** The enrollment page itself, guarded by mistake: it must never redirect to itself. */
  @UseGuards(RequireMfaBound('TOTP')) @Get('enroll') enroll() {
    return this.ok();
  }
}

@MfaReportOnly()
@UseGuards(HeaderAuthGuard, RequireMfaBound('SMS'))
@Controller('ro-ctl')
class ReportOnlyController {
  constructor(private readonly calls: HandlerCalls) {}
  @Get('inherit') inherit() {
    this.calls.count += 1;
    return { ok: true };
  }
  @MfaReportOnly(false) @Get('enforced') enforced() {
    this.calls.count += 1;
    return { ok: true };
  }
}

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

async function call(app: GuardApp, path: string, options: { user?: string; accept?: string; method?: string } = {}) {
  const response = await fetch(`${app.url}${path}`, {
    method: options.method ?? 'GET',
    redirect: 'manual',
    headers: { ...(options.user ? { 'x-user-id': options.user } : {}), accept: options.accept ?? 'application/json' },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

describe.each<AdapterName>(['express', 'fastify'])('rolling out (%s)', (adapter) => {
  const emulator = useEmulator();
  let app: GuardApp | undefined;
  let logger: CapturingLogger;

  const start = async (mfa: Partial<MfaModuleOptions> = {}) => {
    logger = new CapturingLogger();
    app = await createGuardApp(adapter, emulator(), {
      controllers: [RolloutController, ReportOnlyController],
      mfa: { enrollmentUrl: '/ro/enroll', enforceFromHeader: 'MFA-Enforce-From', ...mfa },
      logger,
    });
    return app;
  };

  afterEach(async () => {
    vi.useRealTimers();
    await app?.close();
    app = undefined;
  });

  describe('report-only', () => {
    it('runs the handler and logs the denial it would have given: route, user, missing factors', async () => {
      const app = await start();
      const answer = await call(app, '/ro/report', { user: 'u-sms-email' });
      expect(answer.status).toBe(200);
      expect(app.calls.count).toBe(1);
      expect(logger.lines).toContainEqual(
        'report-only: RolloutController.report would deny user "u-sms-email" with MFA_NOT_BOUND (missing TOTP)',
      );
      expect(answer.headers.get('mfa-enforce-from')).toBeNull();
    });

    it('lets a request without a user through, and logs it', async () => {
      const app = await start();
      expect((await call(app, '/ro/report')).status).toBe(200);
      expect(logger.lines).toContainEqual(
        'report-only: RolloutController.report would deny a request without a user with MFA_USER_UNRESOLVED',
      );
    });

    it('never blocks on an upstream outage', async () => {
      const app = await start({ maxRetries: 0 });
      emulator().setFault('get-user-mfa-info', { httpStatus: 500 });
      expect((await call(app, '/ro/report', { user: 'u-none' })).status).toBe(200);
      expect(logger.lines.some((l) => l.includes('would deny user "u-none" with MFA_UNAVAILABLE'))).toBe(true);
      expect((await call(app, '/ro/enforced', { user: 'u-none' })).status).toBe(503);
    });

    it('logs nothing for a user who meets the policy', async () => {
      const app = await start();
      expect((await call(app, '/ro/report', { user: 'u-totp' })).status).toBe(200);
      expect(logger.lines.filter((l) => l.includes('would deny'))).toEqual([]);
    });

    it('applies per controller, and a route enforces with @MfaReportOnly(false)', async () => {
      const app = await start();
      expect((await call(app, '/ro-ctl/inherit', { user: 'u-totp' })).status).toBe(200);
      expect((await call(app, '/ro-ctl/enforced', { user: 'u-totp' })).status).toBe(403);
      expect(app.calls.count).toBe(1);
    });

    it('applies to every route with the module option, and a route enforces with @MfaReportOnly(false)', async () => {
      const app = await start({ reportOnly: true });
      expect((await call(app, '/ro/enforced', { user: 'u-none' })).status).toBe(200);
      // The route's own date (passed) is more specific than the module's report-only: it is enforced.
      expect((await call(app, '/ro/past', { user: 'u-none' })).status).toBe(403);
      expect((await call(app, '/ro-ctl/enforced', { user: 'u-none' })).status).toBe(403);
    });
  });

  describe('grace period', () => {
    it('reports with the deadline header before the date, and enforces from it on', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const app = await start();
      const before = await call(app, '/ro/grace', { user: 'u-none' });
      expect(before.status).toBe(200);
      expect(before.headers.get('mfa-enforce-from')).toBe(GRACE_END.toISOString());
      expect(logger.lines).toContainEqual(
        `grace period until ${GRACE_END.toISOString()}: RolloutController.grace would deny user "u-none" with MFA_NOT_BOUND (missing TOTP)`,
      );
      const allowed = await call(app, '/ro/grace', { user: 'u-totp' });
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('mfa-enforce-from')).toBeNull();

      vi.setSystemTime(GRACE_END.getTime() - 1);
      expect((await call(app, '/ro/grace', { user: 'u-none' })).status).toBe(200);
      vi.setSystemTime(GRACE_END.getTime());
      const after = await call(app, '/ro/grace', { user: 'u-none' });
      expect(after.status).toBe(403);
      expect(after.headers.get('mfa-enforce-from')).toBeNull();
      expect(app.calls.count).toBe(3);
    });

    it('enforces a route whose date has passed', async () => {
      const app = await start();
      expect((await call(app, '/ro/past', { user: 'u-none' })).status).toBe(403);
    });

    it('applies to every route with the module option; the route date overrides it', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      const end = new Date(Date.now() + 1000);
      const app = await start({ enforceFrom: end.toISOString() });
      const before = await call(app, '/ro/enforced', { user: 'u-none' });
      expect(before.status).toBe(200);
      expect(before.headers.get('mfa-enforce-from')).toBe(end.toISOString());
      expect((await call(app, '/ro/past', { user: 'u-none' })).status).toBe(403);
      // The route's @MfaReportOnly(false) is more specific than the module's grace period: enforced now.
      expect((await call(app, '/ro/always', { user: 'u-none' })).status).toBe(403);
      vi.setSystemTime(end);
      expect((await call(app, '/ro/enforced', { user: 'u-none' })).status).toBe(403);
    });

    it('fails at start-up on a misconfigured date, naming the option', async () => {
      for (const enforceFrom of ['next monday', '2027-13-01', '2027-01-15T09:00:00', new Date('nope')]) {
        await expect(
          Test.createTestingModule({
            imports: [MfaModule.forRoot(emulatorOptions(emulator(), { enforceFrom }))],
          }).compile(),
        ).rejects.toThrow(MfaOptionsError);
      }
      await expect(
        Test.createTestingModule({
          imports: [MfaModule.forRoot(emulatorOptions(emulator(), { enforceFromHeader: 'bad header' }))],
        }).compile(),
      ).rejects.toThrow(/enforceFromHeader/);
      expect(() => MfaEnforceFrom('soon')).toThrow(MfaPolicyError);
      expect(() => MfaEnforceFrom('2027-01-15T09:00')).toThrow(/time zone/);
    });
  });

  describe('browser navigations go to enrollment', () => {
    it('answers 303 to the enrollment URL with returnTo, for a GET that accepts HTML', async () => {
      const app = await start();
      const answer = await call(app, '/ro/enforced?tab=2', { user: 'u-none', accept: HTML });
      expect(answer.status).toBe(303);
      const location = answer.headers.get('location')!;
      const target = new URL(location, 'http://x.invalid');
      expect(target.pathname).toBe('/ro/enroll');
      expect(target.searchParams.get('returnTo')).toBe('/ro/enforced?tab=2&mfa_return=1');
      expect(answer.body).toMatchObject({ statusCode: 303, code: 'MFA_NOT_BOUND', location });
      expect(app.calls.count).toBe(0);
    });

    it('keeps the JSON 403 for API calls, other methods, returns from enrollment and the enrollment page', async () => {
      const app = await start();
      expect((await call(app, '/ro/enforced', { user: 'u-none' })).status).toBe(403);
      expect((await call(app, '/ro/enforced', { user: 'u-none', accept: '*/*' })).status).toBe(403);
      expect((await call(app, '/ro/enforced', { user: 'u-none', accept: HTML, method: 'POST' })).status).toBe(403);
      const back = await call(app, '/ro/enforced?tab=2&mfa_return=1', { user: 'u-none', accept: HTML });
      expect(back.status).toBe(403);
      expect(back.body).toMatchObject({ code: 'MFA_NOT_BOUND', enrollmentUrl: '/ro/enroll' });
      expect((await call(app, '/ro/enroll', { user: 'u-none', accept: HTML })).status).toBe(403);
      expect(app.calls.count).toBe(0);
    });

    it('never redirects a 401 or a 503', async () => {
      const app = await start({ maxRetries: 0 });
      expect((await call(app, '/ro/enforced', { accept: HTML })).status).toBe(401);
      emulator().setFault('get-user-mfa-info', { httpStatus: 500 });
      expect((await call(app, '/ro/enforced', { user: 'u-face', accept: HTML })).status).toBe(503);
    });

    it('adds returnTo to an absolute enrollment URL, keeping its query', async () => {
      const app = await start({ enrollmentUrl: 'https://accounts.example.com/mfa?lang=en' });
      const answer = await call(app, '/ro/enforced', { user: 'u-none', accept: HTML });
      expect(answer.status).toBe(303);
      expect(answer.headers.get('location')).toBe(
        'https://accounts.example.com/mfa?lang=en&returnTo=%2Fro%2Fenforced%3Fmfa_return%3D1',
      );
    });

    it('is off with redirectToEnrollment: false, and without an enrollment URL', async () => {
      let app = await start({ redirectToEnrollment: false });
      expect((await call(app, '/ro/enforced', { user: 'u-none', accept: HTML })).status).toBe(403);
      await app.close();
      app = await start({ enrollmentUrl: undefined });
      expect((await call(app, '/ro/enforced', { user: 'u-none', accept: HTML })).status).toBe(403);
    });
  });
});
