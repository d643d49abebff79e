import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MfaManagementService, MfaBindingResolver } from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { startEmulator } from '../support/emulator-app.js';
import { createGuardApp, type AdapterName, type GuardApp } from '../support/guard-app.js';

const ENROLL = 'https://example.test/mfa/enroll';

describe.each<AdapterName>(['express', 'fastify'])('RequireMfaBound on %s', (adapter) => {
  let emulator: GenAuthEmulator;
  let app: GuardApp;

  beforeEach(async () => {
    emulator = await startEmulator();
    app = await createGuardApp(adapter, emulator, {
      mfa: { enrollmentUrl: ENROLL, circuitBreaker: { failureThreshold: 0 } },
    });
  });

  afterEach(async () => {
    await app.close();
    await emulator.stop();
  });

  // user → routes it may use; every other guarded route must answer 403.
  const allowed: Record<string, string[]> = {
    'u-totp': ['totp', 'otp', 'list'],
    'u-sms-email': ['sms', 'email', 'list', 'any', 'all'],
    'u-face': ['face', 'any'],
    'u-none': [],
    'u-all': ['totp', 'otp', 'sms', 'email', 'face', 'list', 'any', 'all'],
    'not-in-pool': [],
  };
  const routes = ['totp', 'otp', 'sms', 'email', 'face', 'list', 'any', 'all'];

  it.each(Object.keys(allowed))('applies every factor and composition to %s', async (userId) => {
    for (const route of routes) {
      const { status, body } = await app.get(`/r/${route}`, userId);
      const expected = allowed[userId]!.includes(route) ? 200 : 403;
      expect({ route, status }).toEqual({ route, status: expected });
      if (expected === 403) expect(body['code']).toBe('MFA_NOT_BOUND');
    }
    expect(app.calls.count).toBe(allowed[userId]!.length);
  });

  it('answers 403 with the required policy, bound and missing factors and the enrollment URL', async () => {
    const { status, body } = await app.get('/r/all', 'u-sms-email');
    expect(status).toBe(200);
    const denied = await app.get('/r/all', 'u-totp');
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({
      statusCode: 403,
      code: 'MFA_NOT_BOUND',
      message: 'This route requires MFA: all of EMAIL, SMS.',
      required: { allOf: ['EMAIL', 'SMS'] },
      boundFactors: ['TOTP'],
      missingFactors: ['EMAIL', 'SMS'],
      enrollmentUrl: ENROLL,
    });
    expect(denied.headers.get('content-type')).toContain('application/json');
    expect(body).toEqual({ ok: true, route: 'all' });
  });

  it('treats a user GenAuth does not know as having nothing bound', async () => {
    const { status, body } = await app.get('/r/any', 'not-in-pool');
    expect(status).toBe(403);
    expect(body).toMatchObject({
      boundFactors: [],
      missingFactors: ['EMAIL', 'FACE'],
      required: { anyOf: ['EMAIL', 'FACE'] },
    });
  });

  it('answers 401 MFA_USER_UNRESOLVED without a user, and lets public routes through', async () => {
    const { status, body } = await app.get('/r/totp');
    expect(status).toBe(401);
    expect(body).toEqual({
      statusCode: 401,
      code: 'MFA_USER_UNRESOLVED',
      message: 'No authenticated user to check MFA for.',
    });
    expect((await app.get('/r/public')).status).toBe(200);
    expect(app.calls.count).toBe(1);
    expect(emulator.requestCount()).toBe(0);
  });

  it('evaluates a policy function per request', async () => {
    expect((await app.get('/r/dynamic', 'u-totp')).status).toBe(200);
    expect((await app.get('/r/dynamic?need=FACE', 'u-totp')).status).toBe(403);
    expect((await app.get('/r/dynamic?need=FACE', 'u-face')).status).toBe(200);
  });

  it('lets a route policy override its controller, and @SkipMfa exempt a route', async () => {
    expect((await app.get('/ctl/inherit', 'u-sms-email')).status).toBe(200);
    expect((await app.get('/ctl/inherit', 'u-totp')).status).toBe(403);
    expect((await app.get('/ctl/override', 'u-totp')).status).toBe(200);
    expect((await app.get('/ctl/override', 'u-sms-email')).status).toBe(403);
    expect((await app.get('/ctl/skipped', 'u-none')).status).toBe(200);
    expect((await app.get('/ctl/skipped')).status).toBe(200);
  });

  it('caches a binding: the second request makes no upstream call', async () => {
    await app.get('/r/totp', 'u-totp');
    await app.get('/r/otp', 'u-totp');
    await app.get('/r/list', 'u-totp');
    expect(emulator.requestCount('get-user-mfa-info')).toBe(1);
  });

  it('runs 1,000 concurrent first requests for one user on one upstream call', async () => {
    emulator.setFault('get-user-mfa-info', { latencyMs: 50 });
    const answers = await Promise.all(Array.from({ length: 1000 }, () => app.get('/r/totp', 'u-totp')));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(emulator.requestCount('get-user-mfa-info')).toBe(1);
    expect(app.calls.count).toBe(1000);
  });

  it('drops the cached binding when setUsersMfaStatus changes it, so the decision changes at once', async () => {
    expect((await app.get('/r/totp', 'u-none')).status).toBe(403);
    await app.app.get(MfaManagementService).setUsersMfaStatus({
      userId: 'u-none',
      mfaTriggerData: { mfaToken: 't', applicationMfa: [], totpMfaEnabled: true },
    });
    expect((await app.get('/r/totp', 'u-none')).status).toBe(200);
    expect(emulator.requestCount('get-user-mfa-info')).toBe(2);
  });

  it('invalidate() drops a binding changed elsewhere', async () => {
    expect((await app.get('/r/face', 'u-totp')).status).toBe(403);
    emulator.setBindings('u-totp', { FACE: true });
    expect((await app.get('/r/face', 'u-totp')).status).toBe(403);
    await app.app.get(MfaBindingResolver).invalidate({ userId: 'u-totp' });
    expect((await app.get('/r/face', 'u-totp')).status).toBe(200);
  });

  it.each([
    ['HTTP 500', { httpStatus: 500 }, '5'],
    ['HTTP 429 with Retry-After 7', { rateLimitRetryAfterSeconds: 7 }, '7'],
    ['a truncated body', { malformed: 'truncated' as const }, '5'],
    ['a body of the wrong shape', { malformed: 'wrong-shape' as const }, '5'],
    ['a dropped connection', { drop: true }, '5'],
    ['a timeout', { latencyMs: 3000 }, '5'],
  ])('fails closed with 503 and Retry-After on %s', async (_what, fault, retryAfter) => {
    emulator.setFault('get-user-mfa-info', fault);
    const { status, body, headers } = await app.get('/r/totp', 'u-totp');
    expect(status).toBe(503);
    expect(headers.get('retry-after')).toBe(retryAfter);
    expect(body).toEqual({
      statusCode: 503,
      code: 'MFA_UNAVAILABLE',
      message: 'The MFA status could not be checked; try again later.',
      retryAfterSeconds: Number(retryAfter),
    });
    expect(app.calls.count).toBe(0);
    // The route that opted into fail-open lets the same request through.
    expect((await app.get('/r/fail-open', 'u-totp')).status).toBe(200);
    expect(app.calls.count).toBe(1);
  });

  it('never runs the handler on any denial', async () => {
    await app.get('/r/totp');
    await app.get('/r/face', 'u-totp');
    emulator.setFault('*', { httpStatus: 502 });
    await app.get('/r/sms', 'u-sms-email');
    expect(app.calls.count).toBe(0);
  });
});

describe.each<AdapterName>(['express', 'fastify'])('RequireMfaBound as a global guard on %s', (adapter) => {
  let emulator: GenAuthEmulator;
  let app: GuardApp;

  beforeEach(async () => {
    emulator = await startEmulator();
    app = await createGuardApp(adapter, emulator, { global: true, mfa: { defaultPolicy: 'TOTP' } });
  });

  afterEach(async () => {
    await app.close();
    await emulator.stop();
  });

  it('applies the module default policy, route metadata and @SkipMfa', async () => {
    expect((await app.get('/g/default', 'u-totp')).status).toBe(200);
    expect((await app.get('/g/default', 'u-face')).status).toBe(403);
    expect((await app.get('/g/face', 'u-face')).status).toBe(200);
    expect((await app.get('/g/face', 'u-totp')).status).toBe(403);
    expect((await app.get('/g/open')).status).toBe(200);
    expect(app.calls.count).toBe(3);
  });
});
