import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  DEMO_SEED,
  GenAuthEmulator,
  SoftwareAuthenticator,
  USER_API_CODES,
  type PasskeyAuthenticationJSON,
  type PasskeyCreationOptionsJSON,
  type PasskeyRequestOptionsJSON,
} from 'nestjs-genauth-mfa/testing';

const APP = 'demo-app';

/** The answers' envelope; which `data` fields are there is what each test checks. */
interface Envelope {
  statusCode: number;
  apiCode?: number;
  message?: string;
  data: {
    ticket: string;
    registrationOptions: PasskeyCreationOptionsJSON;
    authenticationOptions: PasskeyRequestOptionsJSON;
    credentialId: string;
  };
}
const ORIGIN = 'http://localhost:3000';

describe("the emulator's passkeys (WebAuthn on /api/v3/webauthn)", () => {
  const emulator = new GenAuthEmulator({ seed: DEMO_SEED });
  const tokens = new Map<string, string>();

  /** A user-side call as GenAuth's SDKs make it: the app id header and the user's token. */
  const call = async (user: string | undefined, method: 'GET' | 'POST', path: string, body?: object) => {
    const response = await fetch(`${emulator.url}/api/v3/webauthn/${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'x-authing-app-id': APP,
        ...(user ? { authorization: tokens.get(user)! } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Envelope;
  };

  /** Registers a passkey of `user` on `authenticator`; returns its id. */
  const register = async (user: string, authenticator: SoftwareAuthenticator) => {
    const { data } = await call(user, 'GET', 'registration');
    const registrationCredential = authenticator.createCredential(data.registrationOptions);
    const verified = await call(user, 'POST', 'registration', { ticket: data.ticket, registrationCredential });
    expect(verified).toMatchObject({ statusCode: 200, data: { success: true } });
    return verified.data.credentialId;
  };

  const challenge = async (user: string) => (await call(user, 'GET', 'authentication')).data;
  const refusal = (message: RegExp) => ({
    statusCode: 400,
    apiCode: USER_API_CODES.PASSKEY_REFUSED,
    message: expect.stringMatching(message),
  });

  beforeAll(async () => {
    await emulator.start();
    for (const user of ['alice', 'bob', 'dave']) tokens.set(user, await emulator.signIn(user, DEMO_PASSWORD));
  });
  afterEach(() => emulator.setClock(undefined));
  afterAll(() => emulator.stop());

  it('registers a passkey from options a browser accepts: ES256, attestation none, the user, a fresh challenge', async () => {
    const first = (await call('dave', 'GET', 'registration')).data;
    expect(first.ticket).toMatch(/^[0-9a-f]{32}$/);
    expect(first.registrationOptions).toMatchObject({
      rp: { id: 'localhost' },
      user: { id: Buffer.from('dave').toString('base64url') },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      attestation: 'none',
      excludeCredentials: [],
    });
    expect(Buffer.from(first.registrationOptions.challenge, 'base64url')).toHaveLength(32);
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const id = await register('dave', authenticator);
    expect(emulator.passkeysOf('dave')).toEqual([id]);
    const again = (await call('dave', 'GET', 'registration')).data;
    expect(again.registrationOptions.challenge).not.toBe(first.registrationOptions.challenge);
    expect(again.registrationOptions.excludeCredentials).toEqual([{ id, type: 'public-key' }]);
    expect(() => authenticator.createCredential(again.registrationOptions)).toThrow(/exclude/);
  });

  it("verifies an assertion of the user's passkey, with its challenge, once", async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const id = await register('alice', authenticator);
    const { ticket, authenticationOptions } = await challenge('alice');
    expect(authenticationOptions).toMatchObject({ rpId: 'localhost', allowCredentials: [{ id, type: 'public-key' }] });
    const authenticationCredential = authenticator.getAssertion(authenticationOptions);
    expect(await call('alice', 'POST', 'authentication', { ticket, authenticationCredential })).toMatchObject({
      statusCode: 200,
      data: { verified: true, credentialId: id },
    });
    expect(await call('alice', 'POST', 'authentication', { ticket, authenticationCredential })).toMatchObject(
      refusal(/ticket is unknown, used/),
    );
    const fresh = await challenge('alice');
    expect(
      await call('alice', 'POST', 'authentication', { ticket: fresh.ticket, authenticationCredential }),
    ).toMatchObject(refusal(/challenge is not the ticket's/));
  });

  it("refuses a tampered signature, another origin, another user's passkey or ticket, and a cloned authenticator", async () => {
    const authenticator = new SoftwareAuthenticator({ origin: ORIGIN });
    const id = await register('bob', authenticator);
    const tryWith = async (
      user: string,
      change: (credential: PasskeyAuthenticationJSON) => PasskeyAuthenticationJSON,
      ticketOf = user,
      signer = authenticator,
    ) => {
      const { ticket, authenticationOptions } = await challenge(ticketOf);
      const credential = change(
        signer.getAssertion({ ...authenticationOptions, allowCredentials: [{ id, type: 'public-key' }] }),
      );
      return call(user, 'POST', 'authentication', { ticket, authenticationCredential: credential });
    };
    const flip = (text: string) =>
      Buffer.from(Buffer.from(text, 'base64url').map((byte, i) => (i === 8 ? byte ^ 1 : byte))).toString('base64url');
    expect(
      await tryWith('bob', (c) => ({ ...c, response: { ...c.response, signature: flip(c.response.signature) } })),
    ).toMatchObject(refusal(/signature does not verify/));
    const phished = await challenge('bob');
    const credential = authenticator.getAssertion(phished.authenticationOptions, 'https://phish.example');
    expect(
      await call('bob', 'POST', 'authentication', { ticket: phished.ticket, authenticationCredential: credential }),
    ).toMatchObject(refusal(/origin https:\/\/phish\.example is not allowed/));
    expect(await tryWith('alice', (c) => c)).toMatchObject(refusal(/not one of the user's passkeys/));
    expect(await tryWith('bob', (c) => c, 'alice')).toMatchObject(refusal(/another user's/));
    expect(await tryWith('bob', (c) => c)).toMatchObject({ statusCode: 200, data: { verified: true } });
    authenticator.setCounter(id, 0);
    expect(await tryWith('bob', (c) => c)).toMatchObject(refusal(/counter did not increase/));
  });

  it('answers a malformed or missing credential, or an expired ticket, as a refusal, never a 500', async () => {
    const options = (await call('dave', 'GET', 'registration')).data;
    const good = new SoftwareAuthenticator({ origin: ORIGIN }).createCredential(options.registrationOptions);
    const broken = {
      ...good,
      response: { ...good.response, attestationObject: Buffer.from([0xbf, 0x01]).toString('base64url') },
    };
    expect(
      await call('dave', 'POST', 'registration', { ticket: options.ticket, registrationCredential: broken }),
    ).toMatchObject(refusal(/malformed credential/));
    const next = (await call('dave', 'GET', 'registration')).data;
    expect(await call('dave', 'POST', 'registration', { ticket: next.ticket })).toMatchObject(
      refusal(/credential is required/),
    );
    const wrongRp = (await call('dave', 'GET', 'registration')).data;
    const forOther = new SoftwareAuthenticator({ origin: ORIGIN }).createCredential({
      ...wrongRp.registrationOptions,
      rp: { id: 'example.com', name: 'x' },
    });
    expect(
      await call('dave', 'POST', 'registration', { ticket: wrongRp.ticket, registrationCredential: forOther }),
    ).toMatchObject(refusal(/rpIdHash/));
    const late = (await call('dave', 'GET', 'registration')).data;
    const credential = new SoftwareAuthenticator({ origin: ORIGIN }).createCredential(late.registrationOptions);
    emulator.setClock(Date.now() + 6 * 60_000);
    expect(
      await call('dave', 'POST', 'registration', { ticket: late.ticket, registrationCredential: credential }),
    ).toMatchObject(refusal(/expired/));
    expect(
      await call('dave', 'POST', 'registration', {
        ticket: late.ticket,
        registrationCredential: credential,
        authenticatorCode: 'PIN',
      }),
    ).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/authenticatorCode must be one of/),
    });
    expect(await call(undefined, 'GET', 'registration')).toMatchObject({
      statusCode: 401,
      apiCode: USER_API_CODES.NOT_SIGNED_IN,
    });
  });
});
