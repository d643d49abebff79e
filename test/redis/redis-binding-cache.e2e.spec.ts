import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MfaManagementService, RedisMfaBindingCache } from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { startEmulator } from '../support/emulator-app.js';
import { createGuardApp, type GuardApp } from '../support/guard-app.js';
import { mfaInfoBody, startHostileUpstream } from '../support/hostile-upstream.js';
import { connectRedis, within, type ClientKind } from '../support/redis-clients.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

interface Replica {
  app: GuardApp;
  store: RedisMfaBindingCache;
  close(): Promise<void>;
}

describe.each<ClientKind>(['ioredis', 'node-redis'])('the Redis binding cache with %s', (kind) => {
  let redis: RedisServer;
  let emulator: GenAuthEmulator;
  let replicas: Replica[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    for (const replica of replicas) await replica.close();
    replicas = [];
    await emulator?.stop();
  });
  afterAll(async () => {
    await redis.kill();
  });

  /** Replicas of one app: each its own Nest app, Redis client and store, sharing the emulator and Redis. */
  async function startReplicas(count: number, host?: string): Promise<Replica[]> {
    emulator = await startEmulator();
    const keyPrefix = `test-${randomUUID()}:`;
    for (let i = 0; i < count; i++) {
      const { client, quit } = await connectRedis(kind, redis.url);
      const store = new RedisMfaBindingCache({ client, keyPrefix, localTtlMs: 60_000, timeoutMs: 100 });
      await store.ready();
      const app = await createGuardApp('express', emulator, { mfa: { cache: { store }, ...(host ? { host } : {}) } });
      replicas.push({
        app,
        store,
        async close() {
          await app.close();
          await quit();
        },
      });
    }
    return replicas;
  }

  it('shares a lookup: a user looked up by one replica is known to the others', async () => {
    const [a, b, c] = await startReplicas(3);
    expect((await a!.app.get('/r/totp', 'u-totp')).status).toBe(200);
    expect((await b!.app.get('/r/totp', 'u-totp')).status).toBe(200);
    expect((await c!.app.get('/r/totp', 'u-none')).status).toBe(403);
    expect((await a!.app.get('/r/totp', 'u-none')).status).toBe(403);
    expect(emulator.requestCount('get-user-mfa-info')).toBe(2);
  });

  it('carries a change made through one replica to the others at once', async () => {
    const [a, b, c] = await startReplicas(3);
    for (const replica of [a!, b!, c!]) expect((await replica.app.get('/r/totp', 'u-totp')).status).toBe(200);
    // b and c serve the user under load (20 requests in flight each) while a makes the change.
    const PROPAGATION_BOUND_MS = 200;
    let changedAt = Infinity;
    const lateAllows: number[] = [];
    let running = true;
    const load = [b!, c!].flatMap((replica) =>
      Array.from({ length: 20 }, async () => {
        while (running) {
          const sent = performance.now();
          const { status } = await replica.app.get('/r/totp', 'u-totp');
          if (status === 200 && sent > changedAt + PROPAGATION_BOUND_MS) lateAllows.push(sent - changedAt);
        }
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await a!.app.app.get(MfaManagementService).setUsersMfaStatus({
      userId: 'u-totp',
      mfaTriggerData: { mfaToken: 't', applicationMfa: [], totpMfaEnabled: false },
    });
    changedAt = performance.now();
    expect((await a!.app.get('/r/totp', 'u-totp')).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, PROPAGATION_BOUND_MS + 300));
    running = false;
    await Promise.all(load);
    expect(lateAllows).toEqual([]);
    for (const replica of [b!, c!]) expect((await replica.app.get('/r/totp', 'u-totp')).status).toBe(403);
  });

  it("drops every replica's entries after a change through another identifier type", async () => {
    const [a, b] = await startReplicas(2);
    expect((await b!.app.get('/r/totp', 'u-totp')).status).toBe(200);
    await a!.app.app.get(MfaManagementService).setUsersMfaStatus({
      userId: 'tom@example.com',
      userIdType: 'email',
      mfaTriggerData: { mfaToken: 't', applicationMfa: [], totpMfaEnabled: false },
    });
    expect(
      await within(1000, async () => (await b!.app.get('/r/totp', 'u-totp')).status === 403),
    ).toBeGreaterThanOrEqual(0);
  });

  it('keeps answering right while Redis is down, and after it is back leaves no stale allow', async () => {
    const [a, b] = await startReplicas(2);
    expect((await a!.app.get('/r/face', 'u-face')).status).toBe(200);
    expect((await b!.app.get('/r/face', 'u-face')).status).toBe(200);
    // Killed under load: 300 requests over both replicas and five users, Redis dying in the middle.
    const users: [string, string, number][] = [
      ['/r/face', 'u-face', 200],
      ['/r/totp', 'u-totp', 200],
      ['/r/totp', 'u-none', 403],
      ['/r/all', 'u-all', 200],
      ['/r/sms', 'u-face', 403],
    ];
    const load = Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const [path, user, expected] = users[i % users.length]!;
        await new Promise((resolve) => setTimeout(resolve, i));
        const { status } = await [a!, b!][i % 2]!.app.get(path, user);
        return status === expected;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await redis.kill();
    expect((await load).every(Boolean)).toBe(true);
    try {
      // No 503 caused by Redis alone: cached users from memory, new ones from GenAuth.
      expect((await b!.app.get('/r/face', 'u-face')).status).toBe(200);
      expect((await b!.app.get('/r/totp', 'u-totp')).status).toBe(200);
      expect((await a!.app.get('/r/totp', 'u-none')).status).toBe(403);
      // A change while Redis is down: the message to b is lost.
      await a!.app.app.get(MfaManagementService).setUsersMfaStatus({
        userId: 'u-face',
        mfaTriggerData: { mfaToken: 't', applicationMfa: [], faceMfaEnabled: false },
      });
      expect((await a!.app.get('/r/face', 'u-face')).status).toBe(403);
    } finally {
      await redis.start();
    }
    // b flushes its memory when its subscription comes back.
    expect(
      await within(5000, async () => (await b!.app.get('/r/face', 'u-face')).status === 403),
    ).toBeGreaterThanOrEqual(0);
    // And invalidation works again.
    expect((await b!.app.get('/r/all', 'u-all')).status).toBe(200);
    await a!.app.app.get(MfaManagementService).setUsersMfaStatus({
      userId: 'u-all',
      mfaTriggerData: { mfaToken: 't', applicationMfa: [], mfaPhone: null },
    });
    expect(await within(1000, async () => (await b!.app.get('/r/all', 'u-all')).status === 403)).toBeGreaterThanOrEqual(
      0,
    );
  });

  it('stores no answer from a lookup that started before a change', async () => {
    // An upstream whose answer is read when the request arrives and sent 200 ms later, when asked to.
    const upstream = await startHostileUpstream();
    let totp = true;
    let slowNext = false;
    upstream.setHandler((req, res) => {
      if (req.method === 'POST') {
        totp = false;
        return res.end('{"statusCode":200,"data":{"success":true}}');
      }
      const body = mfaInfoBody({ TOTP: totp });
      const delay = slowNext ? 200 : 0;
      slowNext = false;
      setTimeout(() => res.end(body), delay);
    });
    try {
      const [a, b] = await startReplicas(2, upstream.url);
      slowNext = true;
      const slow = b!.app.get('/r/totp', 'u-totp');
      await new Promise((resolve) => setTimeout(resolve, 50));
      await a!.app.app.get(MfaManagementService).setUsersMfaStatus({
        userId: 'u-totp',
        mfaTriggerData: { mfaToken: 't', applicationMfa: [], totpMfaEnabled: false },
      });
      // The slow lookup read the state before the change: that request is allowed, but its answer is kept
      // nowhere, neither in b's memory nor in Redis for a.
      expect((await slow).status).toBe(200);
      expect((await b!.app.get('/r/totp', 'u-totp')).status).toBe(403);
      expect((await a!.app.get('/r/totp', 'u-totp')).status).toBe(403);
    } finally {
      await upstream.close();
    }
  });
});
