import { Body, Controller, Get, Post, Req, UseFilters, UseGuards, type INestApplication } from '@nestjs/common';
import {
  MfaFactorExceptionFilter,
  MfaFactorService,
  MfaPasskeyService,
  RequireMfaBound,
  type MfaModuleOptions,
  type MfaPasskeyCeremony,
  type MfaPasskeyProof,
} from 'nestjs-genauth-mfa';
import {
  DEMO_PASSWORD,
  DEMO_SEED,
  GenAuthEmulator,
  SoftwareAuthenticator,
  totpCode,
  type PasskeyCreationOptionsJSON,
  type PasskeyRequestOptionsJSON,
} from 'nestjs-genauth-mfa/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateMfaOptions } from '../../lib/src/options/mfa-options.validation.js';
import type { AdapterName } from '../support/guard-app.js';
import { bearerOf, startFactorApp, userFromToken } from '../support/step-up-app.js';

type Req = { headers: Record<string, string | undefined> };
const bearer = bearerOf;
const ORIGIN = 'http://localhost:3000';

/** A passkey page's API, as an app writes it on MfaPasskeyService. */
@UseFilters(MfaFactorExceptionFilter)
@Controller('me/passkeys')
class PasskeyController {
  constructor(private readonly passkeys: MfaPasskeyService) {}
  @Get('registration') registrationOptions(@Req() req: Req) {
    return this.passkeys.registrationOptions({ accessToken: bearer(req) });
  }
  @Post('registration') async register(@Req() req: Req, @Body() body: MfaPasskeyProof) {
    await this.passkeys.register({ accessToken: bearer(req) }, body);
    return { registered: true };
  }
  @Get('authentication') authenticationOptions(@Req() req: Req) {
    return this.passkeys.authenticationOptions({ accessToken: bearer(req) });
  }
  @Post('authentication') async verify(@Req() req: Req, @Body() body: MfaPasskeyProof) {
    await this.passkeys.verify({ accessToken: bearer(req) }, body);
    return { verified: true };
  }
}

@Controller('transfer')
class TransferController {
  @UseGuards(userFromToken, RequireMfaBound('TOTP', { verifiedWithin: '5m' }))
  @Get()
  transfer() {
    return { ok: true };
  }
}

describe.each<AdapterName>(['express', 'fastify'])('step-up by passkey (%s)', (adapter) => {
  const emulator = new GenAuthEmulator({ seed: DEMO_SEED });
  let app: INestApplication;
  let url: string;

  const startApp = (extra: Partial<MfaModuleOptions> = {}) =>
    startFactorApp(emulator, adapter, [PasskeyController, TransferController], extra);

  beforeAll(async () => {
    await emulator.start();
    ({ started: app, at: url } = await startApp());
  });
  afterEach(() => emulator.clearFaults());
  afterAll(async () => {
    await app.close();
    await emulator.stop();
  });

  const api = (base: string, token: string) => ({
    get: (path: string) => fetch(`${base}/${path}`, { headers: { authorization: `Bearer ${token}` } }),
    post: (path: string, body: object) =>
      fetch(`${base}/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
  });
  const ceremony = async (response: Response) => {
    expect(response.status).toBe(200);
    return (await response.json()) as MfaPasskeyCeremony;
  };

  /** A fresh user who bound TOTP through the library; returns a new session (nothing verified in it yet). */
  async function totpUser(name: string): Promise<{ userId: string; token: string }> {
    const userId = `${name}-${adapter}`;
    emulator.addUser({ userId, username: userId, password: DEMO_PASSWORD });
    const first = await emulator.signIn(userId, DEMO_PASSWORD);
    const factors = app.get(MfaFactorService);
    const started = await factors.startEnrollment({ accessToken: first }, { factor: 'TOTP' });
    await factors.completeEnrollment({ accessToken: first }, { ...started, code: totpCode(started.totp!.secret) });
    return { userId, token: await emulator.signIn(userId, DEMO_PASSWORD) };
  }

  /** Registers a passkey through the app, after stepping up with TOTP as the app requires. */
  async function withPasskey(name: string, base = url, nest = app) {
    const user = await totpUser(name);
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const secret = emulator.totpSecretOf(user.userId)!;
    // The next step's code: the enrollment used this step's, and a code is taken once.
    await nest.get(MfaFactorService).verifyTotp({ accessToken: user.token }, totpCode(secret, Date.now() + 30_000));
    const me = api(`${base}/me/passkeys`, user.token);
    const { ticket, options } = await ceremony(await me.get('registration'));
    const credential = authenticator.createCredential(options as unknown as PasskeyCreationOptionsJSON);
    const done = await me.post('registration', { ticket, credential });
    expect(done.status).toBe(201);
    return { ...user, authenticator, session: await emulator.signIn(user.userId, DEMO_PASSWORD) };
  }

  const assertion = async (base: string, token: string, authenticator: SoftwareAuthenticator) => {
    const { ticket, options } = await ceremony(await api(`${base}/me/passkeys`, token).get('authentication'));
    return { ticket, credential: authenticator.getAssertion(options as unknown as PasskeyRequestOptionsJSON) };
  };
  const transfer = (token: string, base = url) =>
    fetch(`${base}/transfer`, { headers: { authorization: `Bearer ${token}` } });

  it('asks a user who holds TOTP to verify it before adding a passkey, then steps up with the passkey', async () => {
    const { userId, token } = await totpUser('first');
    const me = api(`${url}/me/passkeys`, token);
    const refused = await me.get('registration');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'MFA_VERIFICATION_REQUIRED', verifyWith: ['TOTP'] });
    expect(emulator.requestCount('webauthn/registration')).toBe(0);

    const user = await withPasskey('second');
    expect(emulator.passkeysOf(user.userId)).toHaveLength(1);
    expect(emulator.passkeysOf(userId)).toEqual([]);
    expect((await transfer(user.session)).status).toBe(401);
    const proof = await assertion(url, user.session, user.authenticator);
    const verified = await api(`${url}/me/passkeys`, user.session).post('authentication', proof);
    expect(verified.status).toBe(201);
    expect((await transfer(user.session)).status).toBe(200);
  });

  it("refuses a passkey registered with GenAuth directly (a stolen token's), and a replayed or tampered answer", async () => {
    const user = await totpUser('direct');
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    // What a thief holding the user's GenAuth token could do, bypassing the app.
    const direct = (method: string, body?: object) =>
      fetch(`${emulator.url}/api/v3/webauthn/registration`, {
        method,
        headers: { authorization: user.token, 'x-authing-app-id': 'demo-app', 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      }).then(
        (r) => r.json() as Promise<{ data: { ticket: string; registrationOptions: PasskeyCreationOptionsJSON } }>,
      );
    const { data } = await direct('GET');
    await direct('POST', {
      ticket: data.ticket,
      registrationCredential: authenticator.createCredential(data.registrationOptions),
    });
    expect(emulator.passkeysOf(user.userId)).toHaveLength(1);
    const me = api(`${url}/me/passkeys`, user.token);
    const stolen = await me.post('authentication', await assertion(url, user.token, authenticator));
    expect(stolen.status).toBe(400);
    expect(await stolen.json()).toMatchObject({
      code: 'MFA_PASSKEY_REJECTED',
      triesLeft: 4,
      message: expect.stringMatching(/not registered through this app/),
    });
    expect((await transfer(user.token)).status).toBe(401);

    const owner = await withPasskey('replay');
    const mine = api(`${url}/me/passkeys`, owner.session);
    const proof = await assertion(url, owner.session, owner.authenticator);
    expect((await mine.post('authentication', proof)).status).toBe(201);
    const replayed = await mine.post('authentication', proof);
    expect(await replayed.json()).toMatchObject({ code: 'MFA_PASSKEY_REJECTED', triesLeft: 4 });
    const tampered = await assertion(url, owner.session, owner.authenticator);
    tampered.credential.response.signature = Buffer.from('not a signature').toString('base64url');
    expect(await (await mine.post('authentication', tampered)).json()).toMatchObject({ triesLeft: 3 });
  });

  it('checks the answer before GenAuth sees it, reads a malformed GenAuth answer as a 503, and limits refusals', async () => {
    const user = await withPasskey('limits');
    const me = api(`${url}/me/passkeys`, user.session);
    const calls = emulator.requestCount('webauthn/authentication');
    const bad = await me.post('authentication', { ticket: 't', credential: { id: 'x', type: 'public-key' } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'MFA_FACTOR_REQUEST_REJECTED', field: 'credential' });
    expect(emulator.requestCount('webauthn/authentication')).toBe(calls);
    emulator.setFault('webauthn/authentication', { malformed: 'wrong-shape', times: 1 });
    expect((await me.get('authentication')).status).toBe(503);
    const proof = await assertion(url, user.session, user.authenticator);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1)
      statuses.push((await me.post('authentication', { ...proof, ticket: `wrong-${i}` })).status);
    expect(statuses).toEqual([400, 400, 400, 400, 429, 429]);
    expect((await transfer(user.session)).status).toBe(401);
  });

  it('counts a passkey as the factors stepUp.passkeyProves names: none keeps it out of step-up', async () => {
    const other = await startApp({ stepUp: { passkeyProves: [] } });
    try {
      const user = await withPasskey('proves-none', other.at, other.started);
      const proof = await assertion(other.at, user.session, user.authenticator);
      expect((await api(`${other.at}/me/passkeys`, user.session).post('authentication', proof)).status).toBe(201);
      expect((await transfer(user.session, other.at)).status).toBe(401);
    } finally {
      await other.started.close();
    }
  });
});

describe('stepUp.passkeyProves', () => {
  const base = { accessKeyId: 'id', accessKeySecret: 'secret' };
  it('defaults to TOTP, takes names as written (OTP, repeats) or none, and refuses anything else at start-up', () => {
    expect(validateMfaOptions(base).stepUp.passkeyProves).toEqual(['TOTP']);
    expect(
      validateMfaOptions({ ...base, stepUp: { passkeyProves: ['OTP', 'SMS', 'SMS'] } }).stepUp.passkeyProves,
    ).toEqual(['TOTP', 'SMS']);
    expect(validateMfaOptions({ ...base, stepUp: { passkeyProves: [] } }).stepUp.passkeyProves).toEqual([]);
    for (const bad of ['TOTP', ['PASSKEY'], [1], null]) {
      expect(() => validateMfaOptions({ ...base, stepUp: { passkeyProves: bad as never } })).toThrow(
        /stepUp\.passkeyProves/,
      );
    }
  });
});
