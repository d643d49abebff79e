import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MfaModule, RedisMfaBindingCache, type MfaModuleOptions } from 'nestjs-genauth-mfa';
import { MfaHealthIndicator } from 'nestjs-genauth-mfa/terminus';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { emulatorOptions } from '../support/emulator-app.js';
import { useEmulator } from '../support/emulator-hooks.js';
import { freePort } from '../support/free-port.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mfa: MfaHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.mfa.isHealthy('genauth', { intervalMs: 60_000 })]);
  }

  @Get('fresh')
  @HealthCheck()
  fresh() {
    return this.health.check([() => this.mfa.isHealthy('genauth', { intervalMs: 0 })]);
  }
}

type HealthBody = Record<'info' | 'error', Record<string, Record<string, unknown>>> & { status: string };

async function startApp(upstream: GenAuthEmulator, mfa: Partial<MfaModuleOptions> = {}) {
  @Module({
    imports: [
      TerminusModule,
      MfaModule.forRoot({ ...emulatorOptions(upstream, { maxRetries: 0, ...mfa }), isGlobal: true }),
    ],
    controllers: [HealthController],
    providers: [MfaHealthIndicator],
  })
  class AppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app: INestApplication = moduleRef.createNestApplication();
  app.useLogger(false);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  return {
    app,
    async get(path = '/health') {
      const response = await fetch(`${url}${path}`);
      return { status: response.status, body: (await response.json()) as HealthBody };
    },
  };
}

describe('health indicator for @nestjs/terminus', () => {
  const emulator = useEmulator();
  let app: Awaited<ReturnType<typeof startApp>> | undefined;

  afterEach(async () => {
    await app?.app.close();
    app = undefined;
  });

  it('is up when GenAuth answers ("user not found" counts), with the breaker state', async () => {
    app = await startApp(emulator());
    const { status, body } = await app.get();
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.info['genauth']).toMatchObject({ status: 'up', reachable: true, circuit: 'closed' });
    expect(body.info['genauth']).not.toHaveProperty('store');
  });

  it('calls GenAuth once per interval however often it is polled', async () => {
    app = await startApp(emulator());
    const answers = await Promise.all(Array.from({ length: 30 }, () => app!.get()));
    for (let i = 0; i < 20; i += 1) answers.push(await app.get());
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(emulator().requestCount('get-user-mfa-info')).toBe(1);
  });

  it('is down (503) when GenAuth fails, and when it refuses the key', async () => {
    app = await startApp(emulator());
    emulator().setFault('get-user-mfa-info', { httpStatus: 500 });
    const failing = await app.get('/health/fresh');
    expect(failing.status).toBe(503);
    expect(failing.body.error['genauth']).toMatchObject({ status: 'down', reachable: false });
    expect(String(failing.body.error['genauth']?.['error'])).toContain('500');
    await app.app.close();

    emulator().clearFaults();
    app = await startApp(emulator(), { accessKeySecret: 'a-wrong-secret-of-the-right-length' });
    const refused = await app.get('/health/fresh');
    expect(refused.status).toBe(503);
    expect(refused.body.error['genauth']).toMatchObject({ status: 'down', reachable: false, credentials: 'refused' });
    expect(String(refused.body.error['genauth']?.['error'])).toMatch(/^configuration error: .*apiCode 1300/);
    expect(JSON.stringify(refused.body)).not.toContain('a-wrong-secret-of-the-right-length');
  });

  describe('with the Redis store', () => {
    let redis: RedisServer;
    let client: Redis;

    beforeAll(async () => {
      redis = await startRedisServer();
      client = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
      client.on('error', () => undefined);
    });
    afterAll(async () => {
      client.disconnect();
      await redis.kill();
    });

    it('reports the store down from start-up when Redis was never there, before any guarded request', async () => {
      const nowhere = new Redis(`redis://127.0.0.1:${await freePort()}`, {
        maxRetriesPerRequest: 1,
        retryStrategy: () => 50,
      });
      nowhere.on('error', () => undefined);
      try {
        const store = new RedisMfaBindingCache({ client: nowhere, keyPrefix: 'health-nowhere:', timeoutMs: 100 });
        app = await startApp(emulator(), { cache: { store } });
        const health = await app.get('/health/fresh');
        expect(health.status).toBe(200);
        expect(health.body.info['genauth']).toMatchObject({ status: 'up', store: 'down' });
      } finally {
        nowhere.disconnect();
      }
    });

    it('reports the store up, then down once Redis is gone', async () => {
      const store = new RedisMfaBindingCache({ client, keyPrefix: 'health:', timeoutMs: 100 });
      await store.ready();
      app = await startApp(emulator(), { cache: { store } });
      expect((await app.get('/health/fresh')).body.info['genauth']).toMatchObject({ status: 'up', store: 'up' });
      await redis.kill();
      await store.get('user_id:somebody');
      const after = await app.get('/health/fresh');
      expect(after.status).toBe(200);
      expect(after.body.info['genauth']).toMatchObject({ status: 'up', store: 'down' });
    });
  });
});
