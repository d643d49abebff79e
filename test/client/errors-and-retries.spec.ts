import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GenAuthApiError,
  GenAuthError,
  GenAuthInvalidResponseError,
  GenAuthNetworkError,
  GenAuthRateLimitedError,
  GenAuthServerError,
  GenAuthTimeoutError,
  isGenAuthUnavailable,
  type MfaModuleOptions,
} from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { createService, startEmulator } from '../support/emulator-app.js';

/** Everything an error exposes, for checks that a secret is nowhere in it. */
function everything(error: unknown): string {
  const seen = new Set<unknown>();
  const parts: string[] = [];
  let current: unknown = error;
  while (current && !seen.has(current)) {
    seen.add(current);
    parts.push(
      `${String((current as Error).name)}: ${String((current as Error).message)}`,
      (current as Error).stack ?? '',
      JSON.stringify(current, Object.getOwnPropertyNames(current)),
    );
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

describe.each<[string, Partial<MfaModuleOptions>]>([
  ['signature mode', {}],
  ['token mode', { authMode: 'token' }],
])('error mapping and retries (%s)', (_mode, modeOptions) => {
  let emulator: GenAuthEmulator;
  const cleanup: Array<() => Promise<unknown>> = [];

  beforeEach(async () => {
    emulator = await startEmulator();
  });

  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
    await emulator.stop();
  });

  async function service(extra: Partial<MfaModuleOptions> = {}) {
    const created = await createService(emulator, { ...modeOptions, maxRetries: 2, ...extra });
    cleanup.push(() => created.moduleRef.close());
    return created.service;
  }

  it.each([
    ['HTTP 500', { httpStatus: 500 }, GenAuthServerError],
    ['HTTP 503', { httpStatus: 503 }, GenAuthServerError],
    ['HTTP 429', { rateLimitRetryAfterSeconds: 0 }, GenAuthRateLimitedError],
    ['a dropped connection', { drop: true }, GenAuthNetworkError],
  ])('retries a GET on %s, at most maxRetries times, then raises the typed error', async (_what, fault, type) => {
    const mfa = await service();
    emulator.setFault('get-user-mfa-info', fault);
    const error = await mfa.getUserMfaInfo({ userId: 'u-totp' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(GenAuthError);
    expect(isGenAuthUnavailable(error)).toBe(true);
    expect(emulator.requestCount('get-user-mfa-info')).toBe(3);
  });

  it('succeeds when the upstream recovers within the retries', async () => {
    const mfa = await service();
    emulator.setFault('get-user-mfa-info', { httpStatus: 502, times: 2 });
    await expect(mfa.getUserMfaInfo({ userId: 'u-totp' })).resolves.toMatchObject({ boundFactors: ['TOTP'] });
    expect(emulator.requestCount('get-user-mfa-info')).toBe(3);
  });

  it('never retries a POST', async () => {
    const mfa = await service();
    emulator.setFault('set-mfa-status', { httpStatus: 500 });
    const call = mfa.setUsersMfaStatus({ userId: 'u-none', mfaTriggerData: { mfaToken: 't', applicationMfa: [] } });
    await expect(call).rejects.toBeInstanceOf(GenAuthServerError);
    expect(emulator.requestCount('set-mfa-status')).toBe(1);
  });

  it('honors Retry-After before retrying', async () => {
    const mfa = await service({ retryMaxDelayMs: 3000 });
    emulator.setFault('get-user-mfa-info', { rateLimitRetryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    await mfa.getUserMfaInfo({ userId: 'u-totp' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(emulator.requestCount('get-user-mfa-info')).toBe(2);
  });

  it('does not wait a Retry-After longer than retryMaxDelayMs: it raises the delay instead', async () => {
    const mfa = await service({ retryMaxDelayMs: 500 });
    emulator.setFault('get-user-mfa-info', { rateLimitRetryAfterSeconds: 30 });
    const error = await mfa.getUserMfaInfo({ userId: 'u-totp' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenAuthRateLimitedError);
    expect((error as GenAuthRateLimitedError).retryAfterMs).toBe(30_000);
    expect(emulator.requestCount('get-user-mfa-info')).toBe(1);
  });

  it('times out a slow answer', async () => {
    const mfa = await service({ timeoutMs: 100, maxRetries: 0 });
    emulator.setFault('get-user-mfa-info', { latencyMs: 400 });
    const error = await mfa.getUserMfaInfo({ userId: 'u-totp' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenAuthTimeoutError);
    // The budget of the attempt that ran out: 100 ms, less what the token fetch took in token mode.
    expect((error as GenAuthTimeoutError).timeoutMs).toBeGreaterThan(50);
    expect((error as GenAuthTimeoutError).timeoutMs).toBeLessThanOrEqual(100);
    expect((error as Error).message).toContain('GET /api/v3/get-user-mfa-info');
  });

  it.each(['truncated', 'wrong-shape'] as const)(
    'rejects a %s body as an invalid response, never as a result',
    async (malformed) => {
      const mfa = await service();
      emulator.setFault('get-user-mfa-info', { malformed });
      await expect(mfa.getUserMfaInfo({ userId: 'u-totp' })).rejects.toBeInstanceOf(GenAuthInvalidResponseError);
      emulator.setFault('get-mfa-status', { malformed });
      await expect(mfa.getUserMfaStatus({ userId: 'u-totp' })).rejects.toBeInstanceOf(GenAuthInvalidResponseError);
    },
  );

  it('maps a business error (HTTP 200, body statusCode 404) to GenAuthApiError, not retried', async () => {
    const mfa = await service();
    await expect(mfa.getUserMfaInfo({ userId: 'ghost' })).rejects.toBeInstanceOf(GenAuthApiError);
    expect(emulator.requestCount('get-user-mfa-info')).toBe(1);
  });

  it('raises a network error when nothing listens', async () => {
    const mfa = await service({ maxRetries: 0 });
    await emulator.stop();
    const error = await mfa.getUserMfaInfo({ userId: 'u-totp' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenAuthNetworkError);
    expect((error as GenAuthNetworkError).code).toBe('ECONNREFUSED');
  });

  it('puts the secret (and the token) in no error, message, stack or cause', async () => {
    const mfa = await service({ maxRetries: 0, timeoutMs: 100 });
    const secret = emulator.credentials[0]!.accessKeySecret;
    const errors: unknown[] = [];
    for (const fault of [
      { httpStatus: 500 },
      { drop: true },
      { malformed: 'truncated' as const },
      { latencyMs: 300 },
      { rateLimitRetryAfterSeconds: 9 },
    ]) {
      emulator.setFault('*', fault);
      errors.push(await mfa.getUserMfaInfo({ userId: 'u-totp' }).catch((e: unknown) => e));
      errors.push(
        await mfa
          .setUsersMfaStatus({ userId: 'u-none', mfaTriggerData: { mfaToken: 't', applicationMfa: [] } })
          .catch((e: unknown) => e),
      );
    }
    emulator.clearFaults();
    errors.push(await mfa.getUserMfaInfo({ userId: 'ghost' }).catch((e: unknown) => e));
    for (const error of errors) {
      expect(error).toBeInstanceOf(GenAuthError);
      expect(everything(error)).not.toContain(secret);
      expect(everything(error)).not.toMatch(/Bearer [0-9a-f]{20,}/);
    }
  });
});

describe('token mode', () => {
  let emulator: GenAuthEmulator;

  beforeEach(async () => {
    emulator = await startEmulator();
  });

  afterEach(() => emulator.stop());

  it('fetches one token however many calls wait for it, and serves every method with it', async () => {
    const { moduleRef, service } = await createService(emulator, { authMode: 'token', appId: 'app-1' });
    const results = await Promise.all(Array.from({ length: 50 }, () => service.getUserMfaInfo({ userId: 'u-face' })));
    expect(results.every((r) => r.boundFactors[0] === 'FACE')).toBe(true);
    await service.getMfaTriggerData({ userId: 'u-face' });
    await service.getUserMfaStatus({ userId: 'u-face' });
    await service.setUsersMfaStatus({ userId: 'u-face', mfaTriggerData: { mfaToken: 't', applicationMfa: [] } });
    expect(emulator.requestCount('get-management-token')).toBe(1);
    await moduleRef.close();
  });

  it('refreshes once and retries when the token is rejected, POST included', async () => {
    const { moduleRef, service } = await createService(emulator, { authMode: 'token' });
    await service.getUserMfaInfo({ userId: 'u-face' });
    emulator.expireTokens();
    await expect(
      Promise.all([
        service.setUsersMfaStatus({
          userId: 'u-none',
          mfaTriggerData: { mfaToken: 't', applicationMfa: [], faceMfaEnabled: true },
        }),
        service.getUserMfaInfo({ userId: 'u-face' }),
      ]),
    ).resolves.toHaveLength(2);
    expect(emulator.requestCount('get-management-token')).toBe(2);
    expect(emulator.requestCount('set-mfa-status')).toBe(2);
    expect((await service.getUserMfaInfo({ userId: 'u-none' })).boundFactors).toEqual(['FACE']);
    await moduleRef.close();
  });

  it('raises the API error when the key pair is refused, without the secret', async () => {
    const { moduleRef, service } = await createService(emulator, {
      authMode: 'token',
      accessKeySecret: 'wrong-secret-value',
    });
    const error = await service.getUserMfaInfo({ userId: 'u-face' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenAuthApiError);
    expect((error as Error).message).toContain('POST /api/v3/get-management-token');
    expect(everything(error)).not.toContain('wrong-secret-value');
    await moduleRef.close();
  });
});

describe('signature flavors', () => {
  it.each(['genauth', 'authing'] as const)('the emulator accepts the %s flavor', async (signatureFlavor) => {
    const emulator = await startEmulator();
    const { moduleRef, service } = await createService(emulator, { signatureFlavor });
    await expect(service.getUserMfaInfo({ userId: 'u-totp' })).resolves.toMatchObject({ boundFactors: ['TOTP'] });
    await moduleRef.close();
    await emulator.stop();
  });
});
