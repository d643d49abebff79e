import {
  Controller,
  Get,
  Injectable,
  Module,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
} from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  MfaFactorService,
  MfaGuard,
  MfaModule,
  MfaPolicy,
  MfaReportOnly,
  RequireMfaBound,
  type MfaDecisionEvent,
} from 'nestjs-genauth-mfa';
import { DEMO_PASSWORD, DEMO_SEED, DEMO_TOTP_SECRET, GenAuthEmulator, totpCode } from 'nestjs-genauth-mfa/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AdapterName } from '../support/guard-app.js';
import { parseWwwAuthenticate } from '../support/www-authenticate.js';

/**
 * Stands in for the app's authentication: the bearer token's payload becomes `request.user` (`id` from
 * `sub`), and `x-test-claims` adds claims, as an identity provider that sends `auth_time` and `amr` would.
 */
@Injectable()
class TokenUserGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string>; user?: unknown }>();
    const token = /^Bearer (.+)$/.exec(request.headers['authorization'] ?? '')?.[1];
    if (!token) return true;
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string };
    const claims = request.headers['x-test-claims'] ? (JSON.parse(request.headers['x-test-claims']) as object) : {};
    request.user = { id: payload.sub, ...claims };
    return true;
  }
}

@UseGuards(TokenUserGuard)
@Controller('step')
class StepUpController {
  @UseGuards(RequireMfaBound('TOTP', { verifiedWithin: '5m' })) @Get('totp') totp() {
    return { ok: 'totp' };
  }
  @UseGuards(RequireMfaBound({ anyOf: ['SMS', 'TOTP'], verifiedWithin: '10m', acrValues: ['urn:example:mfa'] }))
  @Get('any')
  any() {
    return { ok: 'any' };
  }
  @MfaReportOnly() @UseGuards(RequireMfaBound('TOTP', { verifiedWithin: '5m' })) @Get('report') report() {
    return { ok: 'report' };
  }
}

/** Windows declared with decorators: the controller's policy has one, a route's own policy replaces it. */
@UseGuards(TokenUserGuard, MfaGuard)
@MfaPolicy({ anyOf: ['TOTP', 'FACE'], verifiedWithin: '5m' })
@Controller('declared')
class DeclaredController {
  @Get('inherited') inherited() {
    return { ok: 'inherited' };
  }
  @MfaPolicy('TOTP') @Get('overridden') overridden() {
    return { ok: 'overridden' };
  }
}

describe.each<AdapterName>(['express', 'fastify'])('step-up: a factor verified within a window (%s)', (adapter) => {
  const emulator = new GenAuthEmulator({ seed: DEMO_SEED });
  const events: MfaDecisionEvent[] = [];
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    await emulator.start();
    @Module({
      imports: [
        MfaModule.forRoot({
          host: emulator.url,
          ...emulator.credentials[0]!,
          appId: 'demo-app',
          stepUpUrl: '/verify',
          enrollmentUrl: '/enroll',
          onDecision: (event) => events.push(event),
        }),
      ],
      controllers: [StepUpController, DeclaredController],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app =
      adapter === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter()) : moduleRef.createNestApplication();
    app.useLogger(false);
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  });
  afterEach(() => {
    vi.useRealTimers();
    events.length = 0;
  });
  afterAll(async () => {
    await app.close();
    await emulator.stop();
  });

  const signIn = (account: string) => emulator.signIn(account, DEMO_PASSWORD);
  const get = async (path: string, token: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, {
      headers: { authorization: `Bearer ${token}`, ...headers },
      redirect: 'manual',
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, their shape is what the expects check
      body: text ? (JSON.parse(text) as Record<string, any>) : {},
    };
  };

  it('challenges before a verification (401, RFC 9470), allows within the window, and challenges after it', async () => {
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const token = await signIn('alice');
    const before = await get('/step/totp', token);
    expect(before.status).toBe(401);
    expect(before.body).toMatchObject({
      code: 'MFA_STEP_UP_REQUIRED',
      required: { anyOf: ['TOTP'] },
      maxAgeSeconds: 300,
      stepUpUrl: '/verify',
    });
    const [challenge, ...others] = parseWwwAuthenticate(before.headers.get('www-authenticate')!);
    expect(others).toEqual([]);
    expect(challenge!.scheme).toBe('Bearer');
    expect(challenge!.params).toMatchObject({ error: 'insufficient_user_authentication', max_age: '300' });
    expect(challenge!.params['error_description']).toContain('TOTP');
    expect(events.at(-1)).toMatchObject({ outcome: 'step_up', code: 'MFA_STEP_UP_REQUIRED' });

    await app.get(MfaFactorService).verifyTotp({ accessToken: token }, totpCode(DEMO_TOTP_SECRET, start));
    expect((await get('/step/totp', token)).status).toBe(200);
    vi.setSystemTime(start + 300_000);
    expect((await get('/step/totp', token)).status).toBe(200);
    vi.setSystemTime(start + 300_001);
    expect((await get('/step/totp', token)).status).toBe(401);
  });

  it('keeps the record per session: another session of the same user is challenged', async () => {
    const first = await signIn('alice');
    await app.get(MfaFactorService).verifyTotp({ accessToken: first }, totpCode(DEMO_TOTP_SECRET, Date.now() + 30_000));
    expect((await get('/step/totp', first)).status).toBe(200);
    expect((await get('/step/totp', await signIn('alice'))).status).toBe(401);
  });

  it('takes the window from @MfaPolicy, the most specific declaration winning', async () => {
    const token = await signIn('alice');
    const inherited = await get('/declared/inherited', token);
    expect(inherited.status).toBe(401);
    expect(inherited.body).toMatchObject({
      code: 'MFA_STEP_UP_REQUIRED',
      required: { anyOf: ['TOTP', 'FACE'] },
      maxAgeSeconds: 300,
    });
    expect((await get('/declared/overridden', token)).status).toBe(200);
  });

  it('checks the binding first: a user without the factor gets the 403, not a challenge', async () => {
    expect((await get('/step/totp', await signIn('dave'))).body).toMatchObject({ code: 'MFA_NOT_BOUND' });
  });

  it('reads auth_time and amr when the identity provider sends them; anything malformed is a challenge, never a 500', async () => {
    const token = await signIn('bob');
    const now = Math.floor(Date.now() / 1000);
    const claims = (value: object) => ({ 'x-test-claims': JSON.stringify(value) });
    expect((await get('/step/any', token, claims({ auth_time: now - 60, amr: ['pwd', 'sms'] }))).status).toBe(200);
    expect((await get('/step/any', token, claims({ auth_time: now - 700, amr: ['sms'] }))).status).toBe(401);
    expect((await get('/step/any', token, claims({ auth_time: now - 60, amr: ['pwd'] }))).status).toBe(401);
    for (const odd of [
      { auth_time: 'yesterday', amr: ['sms'] },
      { auth_time: now, amr: 'sms' },
      { auth_time: now + 3600, amr: ['mfa'] },
    ]) {
      expect((await get('/step/any', token, claims(odd))).status).toBe(401);
    }
    const challenged = await get('/step/any', token);
    const [challenge] = parseWwwAuthenticate(challenged.headers.get('www-authenticate')!);
    expect(challenge!.params).toMatchObject({ max_age: '600', acr_values: 'urn:example:mfa' });
    expect(challenged.body.required).toEqual({ anyOf: ['SMS', 'TOTP'] });
  });

  it('sends a browser navigation to the step-up page with returnTo, and lets report-only routes through', async () => {
    const token = await signIn('alice');
    const page = await get('/step/totp?x=1', token, { accept: 'text/html' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/verify?returnTo=%2Fstep%2Ftotp%3Fx%3D1%26mfa_return%3D1');
    const report = await get('/step/report', token);
    expect(report.status).toBe(200);
    expect(events.at(-1)).toMatchObject({ outcome: 'report_only', code: 'MFA_STEP_UP_REQUIRED' });
  });
});
