import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { startEmulator } from '../support/emulator-app.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const SCRIPT = join(import.meta.dirname, '..', 'support', 'replica-process.mjs');

interface ReplicaProcess {
  url: string;
  change(userId: string, totp: boolean): Promise<void>;
  stop(): Promise<void>;
}

function startReplica(env: Record<string, string>): Promise<ReplicaProcess> {
  const child: ChildProcess = fork(SCRIPT, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const next = (type: string) =>
    new Promise<{ url?: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`replica sent no ${type}:\n${errors}`)), 20_000);
      const listener = (message: { type: string; url?: string }) => {
        if (message.type !== type) return;
        clearTimeout(timer);
        child.off('message', listener);
        resolve(message);
      };
      child.on('message', listener);
    });
  return next('ready').then(({ url }) => ({
    url: url!,
    async change(userId, totp) {
      const done = next('changed');
      child.send({ type: 'change', userId, totp });
      await done;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      const force = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(force);
    },
  }));
}

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
