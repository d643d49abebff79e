import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { Controller, Get, Req, UseGuards, type INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { MfaModule, RequireMfaBound } from 'nestjs-genauth-mfa';
import { GenAuthAuthGuard, GenAuthAuthModule, type GenAuthAuthOptions } from 'nestjs-genauth-mfa/auth';
import { DEMO_PASSWORD, DEMO_SEED, GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterName } from '../support/guard-app.js';
import { parseWwwAuthenticate } from '../support/www-authenticate.js';

const JWKS = '/oidc/.well-known/jwks.json';
const b64 = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

@Controller('me')
class MeController {
  @UseGuards(GenAuthAuthGuard)
  @Get()
  me(@Req() req: { user: { id: string; aud: string } }) {
    return { id: req.user.id, aud: req.user.aud };
  }

  @UseGuards(GenAuthAuthGuard, RequireMfaBound('TOTP'))
  @Get('vault')
  vault() {
    return { ok: true };
  }
}

describe.each<AdapterName>(['express', 'fastify'])('GenAuthAuthGuard on the emulator (%s)', (adapter) => {
  const emulator = new GenAuthEmulator({ seed: DEMO_SEED });
  const apps: INestApplication[] = [];

  async function start(extra: Partial<GenAuthAuthOptions> = {}): Promise<string> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        GenAuthAuthModule.forRoot({ isGlobal: true, appHost: emulator.url, audience: 'demo-app', ...extra }),
        MfaModule.forRoot({ host: emulator.url, ...emulator.credentials[0]! }),
      ],
      controllers: [MeController],
    }).compile();
    const app =
      adapter === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter()) : moduleRef.createNestApplication();
    app.useLogger(false);
    await app.listen(0, '127.0.0.1');
    apps.push(app);
    return (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  }

  let url: string;
  beforeAll(async () => {
    await emulator.start();
    url = await start({ jwksCooldownMs: 200 });
  });
  afterEach(() => {
    emulator.clearFaults();
    emulator.setLatency(0);
    emulator.setClock(undefined);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await emulator.stop();
  });

  const get = (token: string | undefined, base = url, path = '/me') =>
    fetch(`${base}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  async function refused(token: string | undefined, code: string, base = url) {
    const answer = await get(token, base);
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ statusCode: 401, code });
    return answer;
  }
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra: object = {}) => ({
    sub: 'alice',
    aud: 'demo-app',
    iss: `${emulator.url}/oidc`,
    iat: now(),
    exp: now() + 600,
    ...extra,
  });

  it('sets request.user from a GenAuth token, and the MFA guard reads its id', async () => {
    const alice = await emulator.signIn('alice', DEMO_PASSWORD);
    const me = await get(alice);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ id: 'alice', aud: 'demo-app' });
    expect((await get(alice, url, '/me/vault')).status).toBe(200);
    expect((await get(await emulator.signIn('dave', DEMO_PASSWORD), url, '/me/vault')).status).toBe(403);
  });

  it('answers a missing token with a bare Bearer challenge, a bad one with invalid_token', async () => {
    const missing = await refused(undefined, 'AUTH_TOKEN_MISSING');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    const bad = await refused('not.a.jwt', 'AUTH_TOKEN_MALFORMED');
    const [challenge] = parseWwwAuthenticate(bad.headers.get('www-authenticate')!);
    expect(challenge).toMatchObject({ scheme: 'Bearer', params: { error: 'invalid_token' } });
  });

  it('refuses alg none, and HS256 signed with the public key', async () => {
    await refused(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`, 'AUTH_TOKEN_ALG_NOT_ALLOWED');
    const { keys } = (await (await fetch(`${emulator.url}${JWKS}`)).json()) as { keys: { kid: string }[] };
    const publicJwk = JSON.stringify(keys[0]);
    const signed = `${b64({ alg: 'HS256', typ: 'JWT', kid: keys[0]!.kid })}.${b64(claims())}`;
    const mac = createHmac('sha256', publicJwk).update(signed).digest('base64url');
    await refused(`${signed}.${mac}`, 'AUTH_TOKEN_ALG_NOT_ALLOWED');
  });

  it('refuses an expired token, a future nbf, another issuer or audience, a token without sub', async () => {
    emulator.setClock(Date.now() - 2 * 3600_000);
    const old = await emulator.signIn('alice', DEMO_PASSWORD);
    emulator.setClock(undefined);
    await refused(old, 'AUTH_TOKEN_EXPIRED');
    await refused(emulator.signToken(claims({ nbf: now() + 3600 })), 'AUTH_TOKEN_NOT_YET_VALID');
    await refused(emulator.signToken(claims({ iss: 'https://evil.example.com/oidc' })), 'AUTH_TOKEN_WRONG_ISSUER');
    await refused(emulator.signToken(claims({ aud: 'another-app' })), 'AUTH_TOKEN_WRONG_AUDIENCE');
    await refused(emulator.signToken(claims({ sub: undefined })), 'AUTH_TOKEN_MALFORMED');
    // Within the clock tolerance (30 s by default), a token just past exp still passes.
    expect((await get(emulator.signToken(claims({ exp: now() - 5 })))).status).toBe(200);
  });

  it('refuses a tampered signature, and a key GenAuth does not publish', async () => {
    const good = await emulator.signIn('alice', DEMO_PASSWORD);
    const [head, , signature] = good.split('.');
    const forged = `${head}.${b64(claims({ sub: 'mallory' }))}`;
    await refused(`${forged}.${signature}`, 'AUTH_TOKEN_BAD_SIGNATURE');
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const signed = `${b64({ alg: 'RS256', typ: 'JWT', kid: 'not-published' })}.${b64(claims())}`;
    await refused(
      `${signed}.${sign('RSA-SHA256', Buffer.from(signed), stranger).toString('base64url')}`,
      'AUTH_TOKEN_UNKNOWN_KEY',
    );
  });

  it('keeps the keys across requests, and accepts a rotated key without a restart', async () => {
    const fresh = await start({ jwksCooldownMs: 100 });
    const alice = await emulator.signIn('alice', DEMO_PASSWORD);
    emulator.resetCounts();
    for (let i = 0; i < 10; i += 1) expect((await get(alice, fresh)).status).toBe(200);
    expect(emulator.requestCount(JWKS)).toBe(1);
    emulator.rotateSigningKey({ keepPrevious: false });
    const rotated = await emulator.signIn('alice', DEMO_PASSWORD);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await get(rotated, fresh)).status).toBe(200);
    expect(emulator.requestCount(JWKS)).toBe(2);
    // The old key is no longer published: its tokens are refused, by this replica too.
    await refused(alice, 'AUTH_TOKEN_UNKNOWN_KEY', fresh);
  });

  it("answers 503 with Retry-After when GenAuth's keys cannot be read: down, or slower than the timeout", async () => {
    const alice = await emulator.signIn('alice', DEMO_PASSWORD);
    emulator.setFault(JWKS, { httpStatus: 502 });
    const down = await get(alice, await start());
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(await down.json()).toMatchObject({ code: 'AUTH_UNAVAILABLE' });
    emulator.clearFaults();
    emulator.setLatency(500, JWKS);
    expect((await get(alice, await start({ jwksTimeoutMs: 100 }))).status).toBe(503);
  });

  it('refuses a revoked token, and answers 503 when the revocation check fails', async () => {
    const alice = await emulator.signIn('alice', DEMO_PASSWORD);
    const revoking = await start({ revoked: (c) => c.sub === 'alice' });
    await refused(alice, 'AUTH_TOKEN_REVOKED', revoking);
    const failing = await start({ revoked: () => Promise.reject(new Error('list down')) });
    expect((await get(alice, failing)).status).toBe(503);
  });
});
