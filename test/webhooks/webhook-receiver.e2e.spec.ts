import 'reflect-metadata';
import { Controller, Get, UseGuards } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MfaWebhookModule, MfaWebhookReceiver, RequireMfaBound, type MfaModuleOptions } from 'nestjs-genauth-mfa';
import { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { CapturingLogger } from '../support/capturing-logger.js';
import {
  createGuardApp,
  HeaderAuthGuard,
  RoutesController,
  type AdapterName,
  type GuardApp,
} from '../support/guard-app.js';

const SECRET = 'webhook-secret-of-the-tests-0123';
const POOL = 'pool-of-the-tests';

@UseGuards(HeaderAuthGuard)
@Controller('s')
class StepUpController {
  @UseGuards(RequireMfaBound('TOTP', { verifiedWithin: '5m' }))
  @Get('transfer')
  transfer() {
    return { ok: true };
  }
}

describe.each<AdapterName>(['express', 'fastify'])('MfaWebhookModule on %s', (adapter) => {
  let emulator: GenAuthEmulator;
  let app: GuardApp;
  let logger: CapturingLogger;

  async function start(mfa: Partial<MfaModuleOptions> = {}, extra: Record<string, unknown> = {}) {
    logger = new CapturingLogger();
    app = await createGuardApp(adapter, emulator, {
      mfa,
      logger,
      controllers: [RoutesController, StepUpController],
      imports: [MfaWebhookModule.forRoot({ secret: SECRET, userPoolId: POOL, ...extra })],
    });
  }

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.url}/genauth/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-authing-webhook-secret': SECRET,
        'x-authing-userpool-id': POOL,
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const counts = () => app.app.get(MfaWebhookReceiver).counts;
  /** Until the receiver's work after its answer is done. */
  const settled = () => new Promise((resolve) => setTimeout(resolve, 50));

  beforeEach(async () => {
    emulator = new GenAuthEmulator({ seed: { users: [{ userId: 'ann', mfa: { TOTP: true } }, { userId: 'ben' }] } });
    await emulator.start();
  });

  afterEach(async () => {
    await app?.close();
    await emulator.stop();
  });

  it('drops a user named by user:updated, so that a change made in GenAuth is seen at once', async () => {
    await start();
    expect((await app.get('/r/totp', 'ann')).status).toBe(200);
    emulator.setBindings('ann', { TOTP: false }); // in GenAuth's console: no webhook is configured yet
    expect((await app.get('/r/totp', 'ann')).status).toBe(200); // the cache still says bound
    const answer = await post({ eventName: 'user:updated', data: { user: { id: 'ann' }, updates: {} } });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ success: true });
    await settled();
    expect((await app.get('/r/totp', 'ann')).status).toBe(403);
    expect(counts()).toMatchObject({ accepted: 1, usersDropped: 1 });
  });

  it.each([
    ['user:deleted', { users: [{ id: 'ann', userPoolId: POOL }] }],
    ['kick', { users: ['ann'], application: { id: 'app' } }],
  ])('drops the users of %s', async (eventName, data) => {
    await start();
    await app.get('/r/totp', 'ann');
    emulator.setBindings('ann', { TOTP: false });
    expect((await post({ eventName, data })).status).toBe(200);
    await settled();
    expect((await app.get('/r/totp', 'ann')).status).toBe(403);
  });

  it('refuses a forged event: 401 for a wrong or missing secret, nothing dropped, logged once a minute per source', async () => {
    await start();
    await app.get('/r/totp', 'ann');
    emulator.setBindings('ann', { TOTP: false });
    const event = { eventName: 'user:updated', data: { user: { id: 'ann' } } };
    expect((await post(event, { 'x-authing-webhook-secret': 'forged-secret-forged-secret' })).status).toBe(401);
    expect((await post(event, { 'x-authing-webhook-secret': '' })).status).toBe(401);
    const missing = await fetch(`${app.url}/genauth/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    expect(missing.status).toBe(401);
    await settled();
    expect((await app.get('/r/totp', 'ann')).status).toBe(200);
    expect(counts()).toMatchObject({ refused: 3, usersDropped: 0 });
    const refusals = logger.warnings.filter((line) => line.includes('refused a webhook'));
    expect(refusals.length).toBe(1);
    expect(logger.lines.join('\n')).not.toContain('forged-secret');
  });

  it("accepts the secret in any of the headers GenAuth's sources name", async () => {
    await start();
    for (const header of ['x-authing-token', 'x-genauth-token', 'x-genauth-webhook-secret']) {
      const answer = await post({ eventName: 'test', data: {} }, { 'x-authing-webhook-secret': 'x', [header]: SECRET });
      expect(answer.status, header).toBe(200);
    }
  });

  it('answers 403 to another user pool, 400 to bodies it cannot read, 413 past the cap, never 500', async () => {
    await start({}, { maxBodyBytes: 2048 });
    expect((await post({ eventName: 'user:updated', data: {} }, { 'x-authing-userpool-id': 'other' })).status).toBe(
      403,
    );
    expect((await post([1, 2])).status).toBe(400);
    expect((await post({ eventName: 42 })).status).toBe(400);
    expect((await post({ eventName: 'user:updated', data: { user: {} } })).status).toBe(400);
    expect((await post('{"eventName": "user:upd')).status).toBe(400);
    expect((await post({ eventName: 'test', data: { pad: 'x'.repeat(5000) } })).status).toBe(413);
    expect((await post({ eventName: 'user:mystery', data: {} })).status).toBe(200);
    expect((await post({ id: 'ann', username: 'ann' })).status).toBe(200); // the bare user of GenAuth's login sample
  });

  it('records mfa:verified per user, which step-up counts only with stepUp.userVerifications', async () => {
    await start({ stepUp: { userVerifications: true } });
    expect((await app.get('/s/transfer', 'ann')).status).toBe(401);
    await post({ eventName: 'mfa:verified', data: { userId: 'ann', isValid: false, type: 'OTP' } });
    await settled();
    expect((await app.get('/s/transfer', 'ann')).status).toBe(401);
    await post({ eventName: 'mfa:verified', data: { userId: 'ann', isValid: true, type: 'OTP' } });
    await settled();
    expect((await app.get('/s/transfer', 'ann')).status).toBe(200);
    expect(counts().verificationsRecorded).toBe(1);
    await app.close();
    await start();
    await post({ eventName: 'mfa:verified', data: { userId: 'ann', isValid: true, type: 'OTP' } });
    await settled();
    expect((await app.get('/s/transfer', 'ann')).status).toBe(401);
  });

  it('stays bounded under a flood of 10,000 events and keeps answering', async () => {
    await start({}, { maxPending: 500 });
    const sent: Promise<number>[] = [];
    for (let i = 0; i < 10_000; i++) {
      sent.push(post({ eventName: 'user:updated', data: { user: { id: `flood-${i}` } } }).then((r) => r.status));
      if (sent.length % 200 === 0) await Promise.all(sent.slice(-200));
    }
    const statuses = await Promise.all(sent);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect((await app.get('/r/totp', 'ann')).status).toBe(200);
    await settled();
    expect(counts()).toMatchObject({ accepted: 10_000, usersDropped: 10_000 });
    // More users at once than maxPending: every binding is dropped once instead of holding them all.
    emulator.setBindings('ann', { TOTP: false });
    const many = Array.from({ length: 1000 }, (_, i) => ({ id: `gone-${i}` }));
    expect((await post({ eventName: 'user:deleted', data: { users: many } })).status).toBe(200);
    await settled();
    expect(counts().overflows).toBe(1);
    expect((await app.get('/r/totp', 'ann')).status).toBe(403);
  }, 120_000);
});

describe('the emulator sends webhooks when its state changes', () => {
  let emulator: GenAuthEmulator;
  let app: GuardApp;

  afterEach(async () => {
    await app?.close();
    await emulator?.stop();
  });

  it.each(['application/json', 'application/x-www-form-urlencoded'] as const)(
    'as %s, with the secret, and the app denies at once',
    async (contentType) => {
      emulator = new GenAuthEmulator({ seed: { users: [{ userId: 'ann', mfa: { TOTP: true } }] } });
      await emulator.start();
      app = await createGuardApp('express', emulator, {
        controllers: [RoutesController],
        imports: [MfaWebhookModule.forRoot({ secret: SECRET })],
      });
      emulator.addWebhook({ url: `${app.url}/genauth/webhook`, secret: SECRET, contentType });
      expect((await app.get('/r/totp', 'ann')).status).toBe(200);
      emulator.setBindings('ann', { TOTP: false });
      await emulator.webhooksSettled();
      expect(emulator.webhookDeliveries()).toMatchObject([{ eventName: 'user:updated', status: 200, attempts: 1 }]);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await app.get('/r/totp', 'ann')).status).toBe(403);
      emulator.removeUser('ann');
      await emulator.webhooksSettled();
      expect(emulator.webhookDeliveries().at(-1)).toMatchObject({ eventName: 'user:deleted', status: 200 });
    },
  );

  it('retries a delivery answered non-2xx, as configured', async () => {
    emulator = new GenAuthEmulator({ seed: { users: [{ userId: 'ann' }] } });
    await emulator.start();
    emulator.addWebhook({ url: `${emulator.url}/nowhere`, secret: SECRET, retries: 3, retryDelayMs: 5 });
    emulator.setBindings('ann', { SMS: true });
    await emulator.webhooksSettled();
    expect(emulator.webhookDeliveries()).toMatchObject([{ status: 404, attempts: 4 }]);
    expect(emulator.requestCount('/nowhere' as never)).toBe(4);
  });
});
