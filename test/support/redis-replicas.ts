import { randomUUID } from 'node:crypto';
import type { INestApplication, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MfaModule, RedisMfaBindingCache } from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { connectRedis, type ClientKind } from './redis-clients.js';

/** One app of a fleet sharing Redis: its Nest app, its URL, and how to close its client. */
export interface RedisReplica {
  readonly app: INestApplication;
  readonly url: string;
  readonly quit: () => Promise<void>;
}

/** Starts `count` apps on the emulator, each with its own client of `kind` and its own store, one key prefix. */
export async function startRedisReplicas(
  kind: ClientKind,
  redisUrl: string,
  emulator: GenAuthEmulator,
  controllers: Type[],
  count = 2,
): Promise<RedisReplica[]> {
  const keyPrefix = `replicas-${randomUUID()}:`;
  const replicas: RedisReplica[] = [];
  for (let i = 0; i < count; i += 1) {
    const { client, quit } = await connectRedis(kind, redisUrl);
    const store = new RedisMfaBindingCache({ client, keyPrefix });
    await store.ready();
    const moduleRef = await Test.createTestingModule({
      imports: [
        MfaModule.forRoot({ host: emulator.url, ...emulator.credentials[0]!, appId: 'demo-app', cache: { store } }),
      ],
      controllers,
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    replicas.push({ app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), quit });
  }
  return replicas;
}

/** Closes every replica's app and client. */
export async function stopRedisReplicas(replicas: readonly RedisReplica[]): Promise<void> {
  for (const replica of replicas) {
    await replica.app.close();
    await replica.quit();
  }
}
