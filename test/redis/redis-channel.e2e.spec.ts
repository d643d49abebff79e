import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MfaManagementService, RedisMfaBindingCache } from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { CapturingLogger } from '../support/capturing-logger.js';
import { startEmulator } from '../support/emulator-app.js';
import { createGuardApp, type GuardApp } from '../support/guard-app.js';
import { connectRedis, within, type ClientKind } from '../support/redis-clients.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

/** What no store publishes: every shape and size a hostile or buggy publisher could send. */
const HOSTILE = [
  'null',
  '"delete"',
  '42',
  'true',
  '[]',
  '[{"kind":"delete","key":"user_id:u-totp"}]',
  '{}',
  '{"kind":"delete"}',
  '{"kind":"delete","key":5}',
  '{"kind":"delete","key":null}',
  '{"kind":"delete","key":"no-separator"}',
  '{"kind":"DELETE","key":"user_id:u-totp"}',
  '{"kind":{"x":1}}',
  '{"__proto__":{"kind":"clear"}}',
  'not json at all',
  '{"kind":"delete","key":"user_id:u-',
  '',
  `{"kind":"delete","key":"user_id:${'x'.repeat(1_000_000)}"}`,
];

/** RESP for `PUBLISH channel message`, many times: what `redis-cli --pipe` sends as fast as Redis takes it. */
function publishes(channel: string, messages: readonly string[]): Buffer {
  const bulk = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
  return Buffer.from(messages.map((m) => `*3\r\n${bulk('PUBLISH')}${bulk(channel)}${bulk(m)}`).join(''));
}

/** Floods the channel from a process of its own, so that the replica's process only receives. */
function flood(port: number, payload: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-cli', ['-p', String(port), '--pipe'], { stdio: ['pipe', 'ignore', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redis-cli --pipe ended with ${code}`))));
    child.stdin.end(payload);
  });
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe.each<ClientKind>(['ioredis', 'node-redis'])('the Redis invalidation channel with %s', (kind) => {
  let redis: RedisServer;
  let emulator: GenAuthEmulator;
  let publisher: Redis;
  const open: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    publisher = new Redis(redis.url);
  });
  afterEach(async () => {
    for (const close of open.splice(0)) await close();
    await emulator?.stop();
  });
  afterAll(async () => {
    publisher.disconnect();
    await redis.kill();
  });

  async function replicas(count: number, logger?: CapturingLogger) {
    emulator = await startEmulator();
    const keyPrefix = `chan-${randomUUID()}:`;
    const made: Array<{ app: GuardApp; store: RedisMfaBindingCache }> = [];
    for (let i = 0; i < count; i++) {
      const { client, quit } = await connectRedis(kind, redis.url);
      const store = new RedisMfaBindingCache({ client, keyPrefix, localTtlMs: 60_000 });
      await store.ready();
      const app = await createGuardApp('express', emulator, { mfa: { cache: { store } }, logger });
      open.push(async () => {
        await app.close();
        await quit();
      });
      made.push({ app, store });
    }
    return { keyPrefix, replicas: made };
  }

  it('ignores every message it would not have published, logs that once, and keeps hearing changes', async () => {
    const logger = new CapturingLogger();
    const {
      keyPrefix,
      replicas: [a, b],
    } = await replicas(2, logger);
    expect((await b!.app.get('/r/totp', 'u-totp')).status).toBe(200);
    for (const message of HOSTILE) await publisher.publish(`${keyPrefix}invalidate`, message);
    const allIgnored = () => Promise.resolve([a!, b!].every((r) => r.store.ignoredMessages === HOSTILE.length));
    expect(await within(5000, allIgnored)).toBeGreaterThanOrEqual(0);
    expect(logger.warnings.filter((line) => line.startsWith('ignored a message'))).toHaveLength(2);
    // Still answering, and still hearing: a change on replica a reaches replica b through the channel.
    expect((await b!.app.get('/r/totp', 'u-totp')).status).toBe(200);
    await a!.app.app.get(MfaManagementService).setUsersMfaStatus({
      userId: 'u-totp',
      mfaTriggerData: { mfaToken: 't', applicationMfa: [], totpMfaEnabled: false },
    });
    expect(
      await within(1000, async () => (await b!.app.get('/r/totp', 'u-totp')).status === 403),
    ).toBeGreaterThanOrEqual(0);
  });

  it('serves requests through a flood of 50,000 invalidations, at a latency close to its own without one', async () => {
    const {
      keyPrefix,
      replicas: [replica],
    } = await replicas(1);
    const users = ['u-totp', 'u-all'];
    for (const user of users) expect((await replica!.app.get('/r/totp', user)).status).toBe(200);
    const timed = async () => {
      const started = performance.now();
      const { status } = await replica!.app.get('/r/totp', users[Math.floor(Math.random() * users.length)]);
      expect(status).toBe(200);
      return performance.now() - started;
    };
    const quiet: number[] = [];
    for (let i = 0; i < 200; i++) quiet.push(await timed());

    const messages = Array.from({ length: 50_000 }, (_, i) =>
      JSON.stringify({ kind: 'delete', key: `user_id:flood-${i}` }),
    );
    let doneAt = Infinity;
    const flooding = flood(redis.port, publishes(`${keyPrefix}invalidate`, messages)).then(
      () => (doneAt = performance.now()),
    );
    // Requests all through the flood and 300 ms past it, while the replica takes the messages in.
    const busy: number[] = [];
    while (performance.now() - doneAt < 300 || busy.length < 200) busy.push(await timed());
    await flooding;
    // Judged on the mean, which a burst that blocks the event loop moves, as a ratio to the quiet one.
    expect(mean(busy) / mean(quiet)).toBeLessThan(10);
    expect(await timed()).toBeGreaterThan(0);
  });

  it('reads back only the masks it writes: anything else in Redis is a miss, and GenAuth answers', async () => {
    const {
      keyPrefix,
      replicas: [replica],
    } = await replicas(1);
    for (const stored of [' 4', '0x4', '4.0', '4e0', '+4', '04x', '16', '-1', '4 ', 'TOTP']) {
      const user = `odd-${randomUUID()}`;
      emulator.addUser({ userId: user });
      await publisher.set(`${keyPrefix}0:user_id:${user}`, stored, 'PX', 60_000);
      emulator.resetCounts();
      expect((await replica!.app.get('/r/totp', user)).status).toBe(403);
      expect(emulator.requestCount('get-user-mfa-info')).toBe(1);
    }
  });
});
