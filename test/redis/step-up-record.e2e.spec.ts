import { Controller, Get, UseGuards } from '@nestjs/common';
import { MfaFactorService, RequireMfaBound } from 'nestjs-genauth-mfa';
import { DEMO_PASSWORD, DEMO_SEED, DEMO_TOTP_SECRET, GenAuthEmulator, totpCode } from 'nestjs-genauth-mfa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientKind } from '../support/redis-clients.js';
import { startRedisReplicas, stopRedisReplicas, type RedisReplica } from '../support/redis-replicas.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { userFromToken } from '../support/step-up-app.js';

@Controller('transfer')
class TransferController {
  @UseGuards(userFromToken, RequireMfaBound('TOTP', { verifiedWithin: '5m' }))
  @Get()
  transfer() {
    return { ok: true };
  }
}

describe.each<ClientKind>(['ioredis', 'node-redis'])('the step-up record in Redis with %s', (kind) => {
  let redis: RedisServer;
  const emulator = new GenAuthEmulator({ seed: DEMO_SEED });
  let replicas: RedisReplica[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    await emulator.start();
    replicas = await startRedisReplicas(kind, redis.url, emulator, [TransferController]);
  });
  afterAll(async () => {
    await stopRedisReplicas(replicas);
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
