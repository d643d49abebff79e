import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { startReplica, type ReplicaProcess } from '../support/replica.js';

const SECRET = 'webhook-secret-of-the-replicas-42';
const USERS = Array.from({ length: 20 }, (_, i) => `hook-user-${i}`);

describe('GenAuth webhooks reach three replicas through one Redis', () => {
  let redis: RedisServer;
  let emulator: GenAuthEmulator;
  let replicas: ReplicaProcess[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    emulator = new GenAuthEmulator({ seed: { users: USERS.map((userId) => ({ userId, mfa: { TOTP: true } })) } });
    await emulator.start();
    const env = {
      REDIS_URL: redis.url,
      REDIS_PREFIX: `webhooks-${randomUUID()}:`,
      GENAUTH_HOST: emulator.url,
      GENAUTH_ACCESS_KEY_ID: emulator.credentials[0]!.accessKeyId,
      GENAUTH_ACCESS_KEY_SECRET: emulator.credentials[0]!.accessKeySecret,
      WEBHOOK_SECRET: SECRET,
    };
    replicas = await Promise.all([0, 1, 2].map(() => startReplica(env)));
    // GenAuth delivers each event to one URL: behind a load balancer, any one replica.
    emulator.addWebhook({ url: `${replicas[0]!.url}/genauth/webhook`, secret: SECRET });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await emulator?.stop();
    await redis?.kill();
  });

  const status = async (replica: ReplicaProcess, user: string) =>
    (await fetch(`${replica.url}/r/totp`, { headers: { 'x-user-id': user } })).status;

  it('a factor unbound in GenAuth (not through the library): every replica denies within p99 <= 1 s', async () => {
    const delays: number[] = [];
    for (const user of USERS) {
      for (const replica of replicas) expect(await status(replica, user)).toBe(200);
      const changed = performance.now();
      emulator.setBindings(user, { TOTP: false });
      const pending = new Set(replicas);
      for (let polls = 0; pending.size > 0; polls++) {
        if (polls > 2000) throw new Error(`${user}: some replica still allows after ${polls} polls`);
        for (const replica of [...pending]) if ((await status(replica, user)) === 403) pending.delete(replica);
        if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 2));
      }
      delays.push(performance.now() - changed);
    }
    delays.sort((a, b) => a - b);
    const p99 = delays[Math.ceil(delays.length * 0.99) - 1]!;
    console.log(`webhook to every replica denying: p50 ${delays[10]!.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
    expect(p99).toBeLessThanOrEqual(1000);
    expect(emulator.webhookDeliveries().every((delivery) => delivery.status === 200)).toBe(true);
  }, 60_000);

  it('a forged event (wrong secret) changes nothing on any replica', async () => {
    const user = USERS[0]!;
    emulator.setBindings(user, { TOTP: true });
    await emulator.webhooksSettled();
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const replica of replicas) expect(await status(replica, user)).toBe(200);
    const forged = await fetch(`${replicas[1]!.url}/genauth/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-authing-webhook-secret': 'not-the-secret-at-all' },
      body: JSON.stringify({ eventName: 'user:deleted', data: { users: [{ id: user }] } }),
    });
    expect(forged.status).toBe(401);
    // Were it obeyed, the next request would look the user up again; the count shows it was not.
    emulator.resetCounts();
    for (const replica of replicas) expect(await status(replica, user)).toBe(200);
    expect(emulator.requestCount('get-user-mfa-info')).toBe(0);
  });
});
