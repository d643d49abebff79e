import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_SEED, DEMO_TOTP_SECRET, GenAuthEmulator, totpCode } from 'nestjs-genauth-mfa/testing';

const APP = 'demo-app';

/** The Authentication API as the official SDK calls it: the app id header, the user token in authorization. */
function userApi(base: () => string) {
  return async (
    method: 'GET' | 'POST',
    path: string,
    options: { token?: string; body?: object; headers?: Record<string, string> } = {},
  ) => {
    const response = await fetch(`${base()}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'x-authing-app-id': APP,
        ...(options.token ? { authorization: options.token } : {}),
        ...options.headers,
      },
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies, their shape is what the expects check
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
  };
}

describe('the emulated Authentication API (user side)', () => {
  const emulator = new GenAuthEmulator({ seed: DEMO_SEED });
  const call = userApi(() => emulator.url);
  const signIn = async (account: string, password = DEMO_PASSWORD) =>
    (await call('POST', '/api/v3/signin', { body: { connection: 'PASSWORD', passwordPayload: { account, password } } }))
      .body;

  beforeAll(() => emulator.start());
  afterEach(() => emulator.setClock(undefined));
  afterAll(() => emulator.stop());

  it('signs a user in with a password, and its RS256 token verifies against the JWKS', async () => {
    const signedIn = await signIn('alice');
    expect(signedIn).toMatchObject({ statusCode: 200, data: { token_type: 'Bearer', expire_in: 3600 } });
    const token = signedIn.data.access_token as string;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const jwks = (await (await fetch(`${emulator.url}/oidc/.well-known/jwks.json`)).json()) as { keys: JsonWebKey[] };
    const key = createPublicKey({ key: jwks.keys[0]!, format: 'jwk' });
    expect(verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))).toBe(
      true,
    );
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    expect(claims).toMatchObject({ sub: 'alice', aud: APP });
    expect(claims).not.toHaveProperty('amr');
    expect((await signIn('alice', 'wrong')).apiCode).toBe(2333);
  });

  it('signIn gives the token the HTTP sign-in gives, and rejects a wrong password', async () => {
    const token = await emulator.signIn('alice', DEMO_PASSWORD);
    expect((await call('GET', '/api/v3/list-enrolled-factors', { token })).body).toMatchObject({
      statusCode: 200,
      data: [{ factorType: 'OTP' }],
    });
    await expect(emulator.signIn('alice', 'wrong')).rejects.toThrow(/sign-in of alice refused/);
    expect(emulator.applicationIds()).toEqual([APP]);
  });

  it('enrolls TOTP for real: a QR URI with a secret, then only the right code binds it', async () => {
    const token = (await signIn('dave')).data.access_token as string;
    const toEnroll = await call('GET', '/api/v3/list-factors-to-enroll', { token });
    expect(toEnroll.body.data).toEqual(expect.arrayContaining([{ factorType: 'OTP' }]));
    const started = await call('POST', '/api/v3/send-enroll-factor-request', { token, body: { factorType: 'OTP' } });
    const { enrollmentToken, otpData } = started.body.data;
    expect(otpData.qrCodeUri).toMatch(/^otpauth:\/\/totp\/.*secret=[A-Z2-7]+/);
    const secret = new URL(otpData.qrCodeUri as string).searchParams.get('secret')!;
    const enroll = (passCode: string) =>
      call('POST', '/api/v3/enroll-factor', {
        token,
        body: { factorType: 'OTP', enrollmentToken, enrollmentData: { passCode } },
      });
    const wrong = String((Number(totpCode(secret)) + 1) % 1_000_000).padStart(6, '0');
    expect((await enroll(wrong)).body.apiCode).toBe(6001);
    expect(emulator.getBindings('dave')?.TOTP).toBe(false);
    expect((await enroll(totpCode(secret))).body.statusCode).toBe(200);
    expect(emulator.getBindings('dave')?.TOTP).toBe(true);
    expect(emulator.totpSecretOf('dave')).toBe(secret);
    const listed = await call('GET', '/api/v3/list-enrolled-factors', { token: `Bearer ${token}` });
    expect(listed.body.data).toEqual([expect.objectContaining({ factorType: 'OTP' })]);
    const reset = await call('POST', '/api/v3/reset-factor', {
      token,
      body: { factorId: listed.body.data[0].factorId },
    });
    expect(reset.body.statusCode).toBe(200);
    expect(emulator.getBindings('dave')?.TOTP).toBe(false);
  });

  it('refuses an enrollment token older than its minute', async () => {
    const token = (await signIn('carol')).data.access_token as string;
    const now = Date.now();
    emulator.setClock(now);
    const started = await call('POST', '/api/v3/send-enroll-factor-request', { token, body: { factorType: 'OTP' } });
    const secret = new URL(started.body.data.otpData.qrCodeUri as string).searchParams.get('secret')!;
    emulator.setClock(now + 60_001);
    const late = await call('POST', '/api/v3/enroll-factor', {
      token,
      body: {
        factorType: 'OTP',
        enrollmentToken: started.body.data.enrollmentToken,
        enrollmentData: { passCode: totpCode(secret, now + 60_001) },
      },
    });
    expect(late.body.apiCode).toBe(6010);
  });

  it('verifies a TOTP code once per step, within one step either way, and locks after five wrong codes', async () => {
    const token = (await signIn('alice')).data.access_token as string;
    const now = Date.now();
    emulator.setClock(now);
    const verifyCode = (totp: string) => call('POST', '/api/v3/mfa-totp-verify', { token, body: { totp } });
    expect((await verifyCode(totpCode(DEMO_TOTP_SECRET, now - 30_000))).body.data).toEqual({ verified: true });
    expect((await verifyCode(totpCode(DEMO_TOTP_SECRET, now - 30_000))).body.data).toEqual({ verified: false });
    expect((await verifyCode(totpCode(DEMO_TOTP_SECRET, now))).body.data).toEqual({ verified: true });
    expect((await verifyCode(totpCode(DEMO_TOTP_SECRET, now - 120_000))).body.data).toEqual({ verified: false });
    for (let i = 0; i < 3; i += 1) await verifyCode('000000');
    const locked = await verifyCode(totpCode(DEMO_TOTP_SECRET, now + 30_000));
    expect(locked.body.statusCode).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers 401 to a missing, forged or expired user token, and 400 without an application', async () => {
    const token = (await signIn('bob')).data.access_token as string;
    expect((await call('GET', '/api/v3/list-enrolled-factors')).body.apiCode).toBe(2020);
    expect(
      (await call('GET', '/api/v3/list-enrolled-factors', { token: `${token.slice(0, -4)}AAAA` })).body.apiCode,
    ).toBe(2020);
    const spelledForGenAuth = await call('GET', '/api/v3/list-enrolled-factors', {
      token,
      headers: { 'x-authing-app-id': '', 'x-genauth-app-id': APP },
    });
    expect(spelledForGenAuth.body.statusCode).toBe(200);
    emulator.setClock(Date.now() + 3601_000);
    const expired = await call('GET', '/api/v3/list-enrolled-factors', { token });
    expect(expired.body).toMatchObject({ statusCode: 401, apiCode: 2020 });
    expect(String(expired.body.message)).toContain('sign in again');
  });
});
