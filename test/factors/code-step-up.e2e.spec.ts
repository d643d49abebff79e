import { Body, Controller, Get, Post, Req, UseFilters, UseGuards, type INestApplication } from '@nestjs/common';
import {
  MfaFactorExceptionFilter,
  MfaFactorService,
  RequireMfaBound,
  type MfaAttemptStore,
  type MfaModuleOptions,
} from 'nestjs-genauth-mfa';
import { DEMO_PASSWORD, DEMO_SEED, GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterName } from '../support/guard-app.js';
import { bearerOf, startFactorApp, userFromToken } from '../support/step-up-app.js';
import { parseWwwAuthenticate } from '../support/www-authenticate.js';

type Req = { headers: Record<string, string | undefined> };
const bearer = bearerOf;

/** A step-up page's API, as an app writes it: the user's own token, the library's exceptions as answers. */
@UseFilters(MfaFactorExceptionFilter)
@Controller('me/mfa')
class StepUpController {
  constructor(private readonly factors: MfaFactorService) {}
  @Post('send') send(@Req() req: Req, @Body() body: { factor: 'SMS' | 'EMAIL' }) {
    return this.factors.sendCode({ accessToken: bearer(req) }, body);
  }
  @Post('verify') async verify(@Req() req: Req, @Body() body: { factor: 'SMS' | 'EMAIL'; code: string }) {
    await this.factors.verifyCode({ accessToken: bearer(req) }, body);
    return { verified: true };
  }
}

@Controller('transfer')
class TransferController {
  @UseGuards(userFromToken, RequireMfaBound({ anyOf: ['TOTP', 'SMS', 'EMAIL'] }, { verifiedWithin: '5m' }))
  @Get()
  transfer() {
    return { ok: true };
  }
}

describe.each<AdapterName>(['express', 'fastify'])('step-up by SMS and e-mail codes (%s)', (adapter) => {
  const emulator = new GenAuthEmulator({ seed: DEMO_SEED });
  let app: INestApplication;
  let url: string;

  const startApp = (extra: Partial<MfaModuleOptions> = {}) =>
    startFactorApp(emulator, adapter, [StepUpController, TransferController], extra);

  beforeAll(async () => {
    await emulator.start();
    ({ started: app, at: url } = await startApp());
  });
  afterEach(() => emulator.clearFaults());
  afterAll(async () => {
    await app.close();
    await emulator.stop();
  });

  const post = (base: string, path: string, token: string, body: object) =>
    fetch(`${base}/me/mfa/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const transfer = (token: string, base = url) =>
    fetch(`${base}/transfer`, { headers: { authorization: `Bearer ${token}` } });
  /** A fresh session of a fresh user bound like bob, so that per-user limits of one test do not reach another. */
  async function bobLike(name: string): Promise<{ token: string; phone: string; email: string }> {
    const phone = `+86139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const email = `${name}-${adapter}@example.com`;
    emulator.addUser({ userId: `${name}-${adapter}`, username: `${name}-${adapter}`, password: DEMO_PASSWORD });
    const token = await emulator.signIn(`${name}-${adapter}`, DEMO_PASSWORD);
    // Bound the way a user binds them: through the enrollment endpoints, with the code the emulator "sent".
    const factors = app.get(MfaFactorService);
    for (const request of [{ factor: 'SMS', phone } as const, { factor: 'EMAIL', email } as const]) {
      const started = await factors.startEnrollment({ accessToken: token }, request);
      const code = emulator.sentCode(started.enrollmentToken)!;
      await factors.completeEnrollment({ accessToken: token }, { ...started, code });
    }
    // The enrollments verified this session: a new one must step up.
    return { token: await emulator.signIn(`${name}-${adapter}`, DEMO_PASSWORD), phone, email };
  }

  it('challenges bob with the factors he can verify, in the body and in WWW-Authenticate', async () => {
    const token = await emulator.signIn('bob', DEMO_PASSWORD);
    const denied = await transfer(token);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ code: 'MFA_STEP_UP_REQUIRED', verifyWith: ['EMAIL', 'SMS'] });
    const [challenge] = parseWwwAuthenticate(denied.headers.get('www-authenticate')!);
    expect(challenge!.params['mfa_factors']).toBe('EMAIL SMS');
  });

  it('sends an SMS code to the bound phone, accepts it once, and lets the session through', async () => {
    const { token, phone } = await bobLike('sms');
    const sent = await post(url, 'send', token, { factor: 'SMS' });
    expect(sent.status).toBe(201);
    expect(await sent.json()).toEqual({ factor: 'SMS', sentTo: `•••• ${phone.slice(-4)}`, resendAfterSeconds: 60 });
    const code = emulator.codeSentTo(phone)!;
    expect(code).toMatch(/^\d{6}$/);
    expect((await transfer(token)).status).toBe(401);
    expect((await post(url, 'verify', token, { factor: 'SMS', code })).status).toBe(201);
    expect((await transfer(token)).status).toBe(200);
    // pre-check-code still calls it valid; the library does not take it again, in this session or another.
    const again = await post(url, 'verify', token, { factor: 'SMS', code });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: 'MFA_CODE_REJECTED', triesLeft: 4 });
  });

  it('sends an e-mail code to the bound address, and refuses a second send within the minute', async () => {
    const { token, email } = await bobLike('mail');
    const sent = await post(url, 'send', token, { factor: 'EMAIL' });
    expect(await sent.json()).toMatchObject({ factor: 'EMAIL', sentTo: `m•••@example.com` });
    const soon = await post(url, 'send', token, { factor: 'EMAIL' });
    expect(soon.status).toBe(429);
    expect(Number(soon.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await soon.json()).toMatchObject({ code: 'MFA_RESEND_TOO_SOON' });
    const verified = await post(url, 'verify', token, { factor: 'EMAIL', code: emulator.codeSentTo(email)! });
    expect(verified.status).toBe(201);
    expect((await transfer(token)).status).toBe(200);
  });

  it('counts wrong codes: four with the tries left, the fifth and sixth 429, even with the right code', async () => {
    const { token, phone } = await bobLike('wrong');
    await post(url, 'send', token, { factor: 'SMS' });
    const right = emulator.codeSentTo(phone)!;
    const wrong = right === '111111' ? '222222' : '111111';
    for (const left of [4, 3, 2, 1]) {
      expect(await (await post(url, 'verify', token, { factor: 'SMS', code: wrong })).json()).toMatchObject({
        triesLeft: left,
      });
    }
    expect((await post(url, 'verify', token, { factor: 'SMS', code: wrong })).status).toBe(429);
    const sixth = await post(url, 'verify', token, { factor: 'SMS', code: right });
    expect(sixth.status).toBe(429);
    expect(await sixth.json()).toMatchObject({ code: 'MFA_TOO_MANY_ATTEMPTS' });
    expect((await transfer(token)).status).toBe(401);
  });

  it('limits a user over all their sessions: ten wrong codes in five minutes, whatever the session', async () => {
    const { token } = await bobLike('many');
    const sessions = [
      token,
      ...(await Promise.all([1, 2].map(() => emulator.signIn(`many-${adapter}`, DEMO_PASSWORD)))),
    ];
    const statuses: number[] = [];
    for (const session of sessions) {
      for (let i = 0; i < 4; i += 1) {
        statuses.push((await post(url, 'verify', session, { factor: 'EMAIL', code: '000000' })).status);
      }
    }
    // Four each in two sessions, then the third session's second wrong code is the user's tenth.
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400, 400, 400, 429, 429, 429]);
  });

  it('refuses a factor the user has not bound, and never sends to a target the request names', async () => {
    const token = await emulator.signIn('alice', DEMO_PASSWORD);
    const refused = await post(url, 'send', token, { factor: 'SMS', phone: '+8613999999999' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 'MFA_FACTOR_REQUEST_REJECTED', field: 'factor' });
    expect(emulator.codeSentTo('+8613999999999')).toBeUndefined();
  });

  it('reads a malformed check as a failure (never a right code), and GenAuth down as a 503', async () => {
    const { token, phone } = await bobLike('broken');
    await post(url, 'send', token, { factor: 'SMS' });
    const code = emulator.codeSentTo(phone)!;
    emulator.setFault('pre-check-code', { malformed: 'wrong-shape', times: 1 });
    expect((await post(url, 'verify', token, { factor: 'SMS', code })).status).toBeGreaterThanOrEqual(500);
    expect((await transfer(token)).status).toBe(401);
    emulator.setFault('pre-check-code', { httpStatus: 502 });
    const down = await post(url, 'verify', token, { factor: 'SMS', code });
    expect(down.status).toBe(503);
    expect(JSON.stringify(await down.json())).not.toContain(token);
    emulator.clearFaults();
    expect((await post(url, 'verify', token, { factor: 'SMS', code })).status).toBe(201);
  });

  it('fails closed when the attempts store does not answer: no code is checked, and nothing is let through', async () => {
    const failing: MfaAttemptStore = {
      takeOnce: () => Promise.reject(new Error('store down')),
      count: () => Promise.reject(new Error('store down')),
      peek: () => Promise.reject(new Error('store down')),
    };
    const other = await startApp({ stepUp: { attempts: failing } });
    try {
      const { token, phone } = await bobLike('closed');
      await post(url, 'send', token, { factor: 'SMS' });
      const checks = emulator.requestCount('pre-check-code');
      const answer = await post(other.at, 'verify', token, { factor: 'SMS', code: emulator.codeSentTo(phone)! });
      expect(answer.status).toBe(503);
      expect(emulator.requestCount('pre-check-code')).toBe(checks);
      expect((await transfer(token, other.at)).status).toBe(401);
    } finally {
      await other.started.close();
    }
  });
});
