import { Controller, Get, UseGuards } from '@nestjs/common';
import { MfaFactorService, MfaPasskeyService, RequireMfaBound, type MfaPasskeyCeremony } from 'nestjs-genauth-mfa';
import {
  DEMO_PASSWORD,
  DEMO_SEED,
  DEMO_TOTP_SECRET,
  GenAuthEmulator,
  SoftwareAuthenticator,
  totpCode,
  type PasskeyCreationOptionsJSON,
  type PasskeyRequestOptionsJSON,
} from 'nestjs-genauth-mfa/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientKind } from '../support/redis-clients.js';
import { startRedisReplicas, stopRedisReplicas, type RedisReplica } from '../support/redis-replicas.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { userFromToken } from '../support/step-up-app.js';

@Controller('transfer')
class TransferController {
  @UseGuards(userFromToken, RequireMfaBound({ anyOf: ['SMS', 'EMAIL'] }, { verifiedWithin: '5m' }))
  @Get()
  transfer() {
    return { ok: true };
  }
}

describe.each<ClientKind>(['ioredis', 'node-redis'])('codes across replicas sharing Redis (%s)', (kind) => {
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

  const service = (i: number) => replicas[i]!.app.get(MfaFactorService);
  const attempt = (i: number, accessToken: string, code: string) =>
    service(i)
      .verifyCode({ accessToken }, { factor: 'SMS', code })
      .then(
        () => 'verified',
        (error: { code?: string }) => error.code,
      );

  it('accepts a code on one replica and refuses it on the other, even when both check it at once', async () => {
    const token = await emulator.signIn('bob', DEMO_PASSWORD);
    await service(0).sendCode({ accessToken: token }, { factor: 'SMS' });
    const code = emulator.codeSentTo('+8613800000002')!;
    const other = await emulator.signIn('bob', DEMO_PASSWORD);
    const outcomes = await Promise.all([attempt(0, token, code), attempt(1, other, code)]);
    expect([...outcomes].sort()).toEqual(['MFA_CODE_REJECTED', 'verified']);
    expect(await attempt(1, token, code)).toBe('MFA_CODE_REJECTED');
    const winner = outcomes.indexOf('verified') === 0 ? token : other;
    const status = (await fetch(`${replicas[1]!.url}/transfer`, { headers: { authorization: `Bearer ${winner}` } }))
      .status;
    expect(status).toBe(200);
  });

  it('counts wrong codes on every replica: the fifth is a 429 wherever it lands, and so is the sixth', async () => {
    emulator.addUser({ userId: `eve-${kind}`, username: `eve-${kind}`, password: DEMO_PASSWORD, mfa: { SMS: true } });
    const token = await emulator.signIn(`eve-${kind}`, DEMO_PASSWORD);
    const outcomes: (string | undefined)[] = [];
    for (let i = 0; i < 6; i += 1) outcomes.push(await attempt(i % 2, token, '000000'));
    expect(outcomes).toEqual([
      'MFA_CODE_REJECTED',
      'MFA_CODE_REJECTED',
      'MFA_CODE_REJECTED',
      'MFA_CODE_REJECTED',
      'MFA_TOO_MANY_ATTEMPTS',
      'MFA_TOO_MANY_ATTEMPTS',
    ]);
  });

  it('vouches on every replica for a passkey added on one: it steps up on the other', async () => {
    const session = { accessToken: await emulator.signIn('alice', DEMO_PASSWORD) };
    await service(0).verifyTotp(session, totpCode(DEMO_TOTP_SECRET));
    const passkeys = (i: number) => replicas[i]!.app.get(MfaPasskeyService);
    const authenticator = new SoftwareAuthenticator();
    const options = (ceremony: MfaPasskeyCeremony) => ceremony.options as unknown;
    const registration = await passkeys(0).registrationOptions(session);
    const credential = authenticator.createCredential(options(registration) as PasskeyCreationOptionsJSON);
    await passkeys(0).register(session, { ticket: registration.ticket, credential: { ...credential } });
    const later = { accessToken: await emulator.signIn('alice', DEMO_PASSWORD) };
    const challenge = await passkeys(1).authenticationOptions(later);
    const assertion = authenticator.getAssertion(options(challenge) as PasskeyRequestOptionsJSON);
    await expect(
      passkeys(1).verify(later, { ticket: challenge.ticket, credential: { ...assertion } }),
    ).resolves.toBeUndefined();
  });
});
