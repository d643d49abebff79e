import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Controller, Get, UseGuards, type INestApplication, type ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { MFA_BINDING_CACHE, RequireMfaBound, type RedisMfaBindingCache } from 'nestjs-genauth-mfa';
import { DEMO_SEED, GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../support/free-port.js';
import { within } from '../support/redis-clients.js';
import { HeaderAuthGuard } from '../support/guard-app.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const ROOT = join(import.meta.dirname, '..', '..');
type ModuleImports = NonNullable<ModuleMetadata['imports']>;

/** Every `<!-- snippet: PATH -->` block of the README and docs/, with the file it stands for. */
function snippets(): Array<{ doc: string; path: string; code: string }> {
  const docs = ['README.md', ...readdirSync(join(ROOT, 'docs')).map((f) => join('docs', f))].filter((f) =>
    f.endsWith('.md'),
  );
  const found: Array<{ doc: string; path: string; code: string }> = [];
  for (const doc of docs) {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    for (const [, path, code] of text.matchAll(/<!-- snippet: (\S+) -->\s*\n```\w*\n([\s\S]*?)\n```/g)) {
      found.push({ doc, path: path!, code: `${code}\n` });
    }
  }
  return found;
}

@UseGuards(HeaderAuthGuard, RequireMfaBound('TOTP'))
@Controller('vault')
class VaultController {
  @Get() open() {
    return { ok: true };
  }
}

async function appWith(imports: ModuleImports): Promise<{ app: INestApplication; url: string }> {
  const moduleRef = await Test.createTestingModule({ imports, controllers: [VaultController] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1') };
}

describe('the snippets of the guides', () => {
  const emulator = new GenAuthEmulator({ seed: DEMO_SEED });

  beforeAll(async () => {
    process.env.GENAUTH_HOST = await emulator.start();
    process.env.GENAUTH_ACCESS_KEY_ID = emulator.credentials[0]!.accessKeyId;
    process.env.GENAUTH_ACCESS_KEY_SECRET = emulator.credentials[0]!.accessKeySecret;
  });
  afterAll(() => emulator.stop());

  it('are, word for word, the files this suite runs', () => {
    const found = snippets();
    expect(found.map((s) => s.path).sort()).toEqual([
      'test/docs/snippets/metrics.ts',
      'test/docs/snippets/redis-store.module.ts',
    ]);
    for (const { doc, path, code } of found)
      expect(code, `${doc} shows ${path}`).toBe(readFileSync(join(ROOT, path), 'utf8'));
  });

  it("metrics: the OpenTelemetry SDK snippet makes the guard's metrics scrapeable by Prometheus", async () => {
    process.env.METRICS_PORT = String(await freePort());
    const { metricsExporter } = await import('./snippets/metrics.js');
    const { MfaModule } = await import('nestjs-genauth-mfa');
    const { app, url } = await appWith([
      MfaModule.forRoot({
        host: process.env.GENAUTH_HOST,
        accessKeyId: process.env.GENAUTH_ACCESS_KEY_ID!,
        accessKeySecret: process.env.GENAUTH_ACCESS_KEY_SECRET!,
      }),
    ]);
    try {
      expect((await fetch(`${url}/vault`, { headers: { 'x-user-id': 'alice' } })).status).toBe(200);
      expect((await fetch(`${url}/vault`, { headers: { 'x-user-id': 'dave' } })).status).toBe(403);
      const scraped = await (await fetch(`http://127.0.0.1:${process.env.METRICS_PORT}/metrics`)).text();
      expect(scraped).toMatch(/genauth_mfa_decisions_total\{[^}]*genauth_mfa_outcome="allowed"[^}]*\} 1/);
      expect(scraped).toMatch(/genauth_mfa_decisions_total\{[^}]*genauth_mfa_outcome="denied"[^}]*\} 1/);
      expect(scraped).toContain('genauth_mfa_lookup_duration');
    } finally {
      await app.close();
      await metricsExporter.shutdown();
    }
  });

  describe('with a redis-server', () => {
    let redis: RedisServer;
    beforeAll(async () => {
      redis = await startRedisServer();
      process.env.REDIS_URL = redis.url;
    });
    afterAll(() => redis.kill());

    it('replicas: the Redis module snippet shares bindings through Redis, its client heard', async () => {
      // The snippet's client is the app's own: the test finds it (as the `this` of its `on` calls) to close it.
      const listened = vi.spyOn(Redis.prototype, 'on');
      const { MfaWithRedisModule } = await import('./snippets/redis-store.module.js');
      const { app, url } = await appWith([MfaWithRedisModule]);
      const inspector = new Redis(redis.url);
      // Lookups in flight when the store's subscription comes up are not stored (it may have missed changes).
      await app.get<RedisMfaBindingCache>(MFA_BINDING_CACHE).ready();
      try {
        expect((await fetch(`${url}/vault`, { headers: { 'x-user-id': 'alice' } })).status).toBe(200);
        expect((await fetch(`${url}/vault`, { headers: { 'x-user-id': 'dave' } })).status).toBe(403);
        const stored = () => inspector.keys('genauth-mfa:*:user_id:alice').then((keys) => keys.length === 1);
        expect(await within(2000, stored)).toBeGreaterThanOrEqual(0);
      } finally {
        await app.close();
        inspector.disconnect();
        for (const client of new Set(listened.mock.contexts)) (client as Redis).disconnect();
        listened.mockRestore();
      }
    });
  });
});
