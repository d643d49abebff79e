import { Redis } from 'ioredis';
import { createClient } from 'redis';
import type { RedisClientLike } from 'nestjs-genauth-mfa';

export type ClientKind = 'ioredis' | 'node-redis';

/** A connected client of either kind, reconnecting fast, with its errors heard (as the README's snippet does). */
export async function connectRedis(
  kind: ClientKind,
  url: string,
): Promise<{ client: RedisClientLike; quit: () => Promise<void> }> {
  if (kind === 'ioredis') {
    const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    client.on('error', () => undefined);
    return { client, quit: async () => void (await client.quit().catch(() => client.disconnect())) };
  }
  const client = createClient({ url, socket: { reconnectStrategy: () => 50 } });
  client.on('error', () => undefined);
  await client.connect();
  return { client, quit: async () => void (await client.quit().catch(() => undefined)) };
}

/** Polls `check` every 5 ms until it holds or `limitMs` passes; resolves to the time it took, or -1. */
export async function within(limitMs: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    if (await check()) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return -1;
}
