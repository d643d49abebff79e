import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { startEmulator } from '../support/emulator-app.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startReplica, type ReplicaProcess } from '../support/replica.js';

describe('three replicas in separate processes, one Redis, one GenAuth', () => {
  let redis: RedisServer;
  let emulator: GenAuthEmulator;
  let replicas: ReplicaProcess[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    emulator = await startEmulator();
    const env = {
      REDIS_URL: redis.url,
      REDIS_PREFIX: `processes-${randomUUID()}:`,
      GENAUTH_HOST: emulator.url,
      GENAUTH_ACCESS_KEY_ID: emulator.credentials[0]!.accessKeyId,
      GENAUTH_ACCESS_KEY_SECRET: emulator.credentials[0]!.accessKeySecret,
    };
    replicas = await Promise.all([0, 1, 2].map(() => startReplica(env)));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await emulator.stop();
    await redis.kill();
  });

  const status = async (replica: ReplicaProcess, user: string) =>
    (await fetch(`${replica.url}/r/totp`, { headers: { 'x-user-id': user } })).status;

  it('looks each user up once for all replicas, and carries a change to all of them', async () => {
    const [a, b, c] = replicas as [ReplicaProcess, ReplicaProcess, ReplicaProcess];
    emulator.resetCounts();
    for (const replica of [a, b, c]) {
      expect(await status(replica, 'u-totp')).toBe(200);
      expect(await status(replica, 'u-none')).toBe(403);
    }
    expect(emulator.requestCount('get-user-mfa-info')).toBe(2);

    await a.change('u-totp', false);
    for (const replica of [b, c]) {
      const started = performance.now();
      while ((await status(replica, 'u-totp')) !== 403) {
        expect(performance.now() - started).toBeLessThan(1000);
      }
    }
    expect(await status(a, 'u-totp')).toBe(403);
  });
});
