import type { ExecutionContext } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MfaManagementService, type MfaModuleOptions, type MfaBindingCache } from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { startEmulator } from '../support/emulator-app.js';
import { createGuardApp, type AdapterName, type GuardApp } from '../support/guard-app.js';
import { mfaInfoBody, startHostileUpstream } from '../support/hostile-upstream.js';

/** The user from headers: `x-user-id`, and `x-user-type` when given (as an app's resolveUser might). */
function headerUser(context: ExecutionContext) {
  const headers = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers;
  const userId = headers['x-user-id'];
  if (userId === undefined) return undefined;
  const userIdType = headers['x-user-type'] as MfaModuleOptions['userIdType'];
  return userIdType === undefined ? { userId } : { userId, userIdType };
}

async function get(guard: GuardApp, path: string, headers: Record<string, string>) {
  const response = await fetch(`${guard.url}${path}`, { headers });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

describe.each<AdapterName>(['express', 'fastify'])('odd request users (%s)', (adapter) => {
  let emulator: GenAuthEmulator;
  let guard: GuardApp;

  beforeAll(async () => {
    emulator = await startEmulator();
    emulator.addUser({ userId: 'a:b', mfa: { TOTP: true } });
    guard = await createGuardApp(adapter, emulator, {
      mfa: { resolveUser: headerUser, failOpen: true, circuitBreaker: { failureThreshold: 2, resetTimeoutMs: 60_000 } },
    });
  });

  afterAll(async () => {
    await guard.close();
    await emulator.stop();
  });

  it('answers 401 to an over-long id or a bogus userIdType, sends nothing, and neither opens the breaker nor fails open', async () => {
    emulator.resetCounts();
    const before = guard.calls.count;
    const cases: Record<string, string>[] = [
      { 'x-user-id': 'x'.repeat(513) },
      { 'x-user-id': 'u-totp', 'x-user-type': 'user_id:u' },
      { 'x-user-id': 'u-totp', 'x-user-type': 'nickname' },
      { 'x-user-id': `${'y'.repeat(600)}@example.com`, 'x-user-type': 'email' },
      { 'x-user-id': 'x'.repeat(2000) },
    ];
    for (const headers of cases) {
      const { status, body } = await get(guard, '/r/totp', headers);
      expect(status).toBe(401);
      expect(body).toMatchObject({ code: 'MFA_USER_UNRESOLVED' });
    }
    expect(guard.calls.count).toBe(before);
    expect(emulator.requestCount()).toBe(0);
    // Five bad requests against a threshold of 2: the breaker is still closed for everyone else.
    expect((await get(guard, '/r/totp', { 'x-user-id': 'u-totp' })).status).toBe(200);
  });

  it('never serves one user the cached answer of another whose key would read the same', async () => {
    expect((await get(guard, '/r/totp', { 'x-user-id': 'a:b', 'x-user-type': 'user_id' })).status).toBe(200);
    const aliased = await get(guard, '/r/totp', { 'x-user-id': 'b', 'x-user-type': 'user_id:a' });
    expect(aliased.status).toBe(401);
  });

  it('reads an id of 512 characters (the limit) as a user, unknown to GenAuth: 403', async () => {
    const { status, body } = await get(guard, '/r/totp', { 'x-user-id': 'z'.repeat(512) });
    expect(status).toBe(403);
    expect(body).toMatchObject({ code: 'MFA_NOT_BOUND', boundFactors: [] });
  });
});

describe.each<AdapterName>(['express', 'fastify'])('upstream 400 for a user (%s)', (adapter) => {
  it('is a 401 for that user, not an outage: the breaker stays closed and failOpen does not let it pass', async () => {
    const emulator = await startEmulator();
    const upstream = await startHostileUpstream();
    upstream.setHandler((req, res) => {
      const bad = req.url?.includes('userId=odd');
      res.end(bad ? '{"statusCode":400,"apiCode":400,"message":"invalid userId"}' : mfaInfoBody({ TOTP: true }));
    });
    const guard = await createGuardApp(adapter, emulator, {
      mfa: { host: upstream.url, failOpen: true, circuitBreaker: { failureThreshold: 2, resetTimeoutMs: 60_000 } },
    });
    try {
      for (let i = 0; i < 4; i += 1) expect((await guard.get('/r/totp', `odd-${i}`)).status).toBe(401);
      expect(guard.calls.count).toBe(0);
      expect((await guard.get('/r/totp', 'fine')).status).toBe(200);
    } finally {
      await guard.close();
      await upstream.close();
      await emulator.stop();
    }
  });
});

/** A store that misbehaves as told, over a Map that works. */
class OddStore implements MfaBindingCache {
  readonly entries = new Map<string, number>();
  mode: 'null' | 'throw' | 'reject' | 'garbage' | 'ok' = 'ok';
  failDelete = false;
  failSet = false;

  get(key: string): number | undefined | Promise<number | undefined> {
    switch (this.mode) {
      case 'null':
        return null as unknown as undefined;
      case 'throw':
        throw new Error('store down');
      case 'reject':
        return Promise.reject(new Error('store down'));
      case 'garbage':
        return 'TOTP' as unknown as number;
      default:
        return this.entries.get(key);
    }
  }
  set(key: string, mask: number): void | Promise<void> {
    if (this.failSet) throw new Error('store full');
    this.entries.set(key, mask);
  }
  delete(key: string): Promise<void> {
    if (this.failDelete) return Promise.reject(new Error('store down'));
    this.entries.delete(key);
    return Promise.resolve();
  }
}

describe.each<AdapterName>(['express', 'fastify'])('a misbehaving store (%s)', (adapter) => {
  let emulator: GenAuthEmulator;
  let guard: GuardApp;
  const store = new OddStore();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    emulator = await startEmulator();
    guard = await createGuardApp(adapter, emulator, { mfa: { cache: { store } } });
  });

  afterEach(() => {
    store.mode = 'ok';
    store.failDelete = false;
    store.failSet = false;
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await guard.close();
    await emulator.stop();
  });

  it.each(['null', 'throw', 'reject', 'garbage'] as const)(
    'falls back to GenAuth when get() answers %s: right answers, never a 500',
    async (mode) => {
      store.mode = mode;
      emulator.resetCounts();
      expect((await guard.get('/r/totp', 'u-totp')).status).toBe(200);
      expect((await guard.get('/r/totp', 'u-none')).status).toBe(403);
      expect(emulator.requestCount('get-user-mfa-info')).toBe(2);
    },
  );

  it('survives set() throwing', async () => {
    store.failSet = true;
    expect((await guard.get('/r/totp', 'u-all')).status).toBe(200);
  });

  it('survives delete() rejecting during the invalidation after setUsersMfaStatus: no crash, no unhandled rejection', async () => {
    store.failDelete = true;
    const result = await guard.app.get(MfaManagementService).setUsersMfaStatus({
      userId: 'u-face',
      mfaTriggerData: { mfaToken: 't', applicationMfa: [], faceMfaEnabled: true },
    });
    expect(result.success).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
    expect((await guard.get('/r/face', 'u-face')).status).toBe(200);
  });
});

describe.each<AdapterName>(['express', 'fastify'])('a change through another identifier type (%s)', (adapter) => {
  it('leaves no stale allow: the guard caches by user_id, the admin unbinds by email', async () => {
    const emulator = await startEmulator();
    const guard = await createGuardApp(adapter, emulator);
    try {
      expect((await guard.get('/r/totp', 'u-totp')).status).toBe(200);
      await guard.app.get(MfaManagementService).setUsersMfaStatus({
        userId: 'tom@example.com',
        userIdType: 'email',
        mfaTriggerData: { mfaToken: 't', applicationMfa: [], totpMfaEnabled: false },
      });
      const after = await guard.get('/r/totp', 'u-totp');
      expect(after.status).toBe(403);
      expect(after.body).toMatchObject({ missingFactors: ['TOTP'] });
    } finally {
      await guard.close();
      await emulator.stop();
    }
  });
});

describe.each<AdapterName>(['express', 'fastify'])('a storm of distinct cold users (%s)', (adapter) => {
  it('keeps upstream calls at once within maxConcurrentLookups, and answers 503 to those who cannot be served in time', async () => {
    const emulator = await startEmulator();
    const upstream = await startHostileUpstream();
    upstream.setHandler((_req, res) => setTimeout(() => res.end(mfaInfoBody({ TOTP: true })), 100));
    const guard = await createGuardApp(adapter, emulator, {
      mfa: { host: upstream.url, maxConcurrentLookups: 4, timeoutMs: 250, maxRetries: 0 },
    });
    try {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => guard.get('/r/totp', `storm-${adapter}-${i}`)),
      );
      expect(upstream.maxConcurrent).toBeLessThanOrEqual(4);
      const statuses = answers.map((a) => a.status);
      // 4 at a time, 100 ms each, within a 250 ms deadline: the first waves pass, the rest get a 503.
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(4);
      expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
      expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
      for (const a of answers.filter((x) => x.status === 503))
        expect(Number(a.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(upstream.requests).toBeLessThan(40);
    } finally {
      await guard.close();
      await upstream.close();
      await emulator.stop();
    }
  });
});
