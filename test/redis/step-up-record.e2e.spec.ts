import { randomUUID } from 'node:crypto';
import { Controller, Get, UseGuards, type ExecutionContext, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MfaFactorService, MfaModule, RedisMfaBindingCache, RequireMfaBound } from 'nestjs-genauth-mfa';
import { DEMO_PASSWORD, DEMO_SEED, DEMO_TOTP_SECRET, GenAuthEmulator, totpCode } from 'nestjs-genauth-mfa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, type ClientKind } from '../support/redis-clients.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const tokenOf = (req: { headers: Record<string, string> }) =>
  /^Bearer (.+)$/.exec(req.headers['authorization'] ?? '')?.[1];

@Controller('transfer')
class TransferController {
  @UseGuards(
    {
      canActivate: (context: ExecutionContext) => {
        const req = context.switchToHttp().getRequest<{ headers: Record<string, string>; user?: unknown }>();
        const token = tokenOf(req);
        if (token) req.user = { id: JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub };
        return true;
      },
    },
    RequireMfaBound('TOTP', { verifiedWithin: '5m' }),
  )
  @Get()
  transfer() {
    return { ok: true };
  }
}

describe.each<ClientKind>(['ioredis', 'node-redis'])('the step-up record in Redis with %s', (kind) => {
  let redis: RedisServer;
  const emulator = new GenAuthEmulator({ seed: DEMO_SEED });
  const replicas: Array<{ app: INestApplication; url: string; quit: () => Promise<void> }> = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    await emulator.start();
    const keyPrefix = `record-${randomUUID()}:`;
    for (let i = 0; i < 2; i += 1) {
      const { client, quit } = await connectRedis(kind, redis.url);
      const store = new RedisMfaBindingCache({ client, keyPrefix });
      await store.ready();
      const moduleRef = await Test.createTestingModule({
        imports: [
          MfaModule.forRoot({ host: emulator.url, ...emulator.credentials[0]!, appId: 'demo-app', cache: { store } }),
        ],
        controllers: [TransferController],
      }).compile();
      const app = moduleRef.createNestApplication({ logger: false });
      await app.listen(0, '127.0.0.1');
      replicas.push({ app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), quit });
    }
  });
  afterAll(async () => {
    for (const replica of replicas) {
      await replica.app.close();
      await replica.quit();
    }
    await emulator.stop();
    await redis.kill();
  });

  it('is written on one replica and read on another: a code verified through A lets the session through B', async () => {
    const signIn = await fetch(`${emulator.url}/api/v3/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-authing-app-id': 'demo-app' },
      body: JSON.stringify({ connection: 'PASSWORD', passwordPayload: { account: 'alice', password: DEMO_PASSWORD } }),
    });
    const token = ((await signIn.json()) as { data: { access_token: string } }).data.access_token;
    const [a, b] = replicas as [(typeof replicas)[0], (typeof replicas)[0]];
    const transfer = async (on: typeof a) =>
      (await fetch(`${on.url}/transfer`, { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await transfer(b)).toBe(401);
    await a.app.get(MfaFactorService).verifyTotp({ accessToken: token }, totpCode(DEMO_TOTP_SECRET));
    expect(await transfer(b)).toBe(200);
    expect(await transfer(a)).toBe(200);
  });
});
