import 'reflect-metadata';
import type { TestingModule } from '@nestjs/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GenAuthApiError,
  GenAuthValidationError,
  type MfaManagementService,
  type UserIdType,
} from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { createService, startEmulator } from '../support/emulator-app.js';

describe('MfaManagementService against the emulator', () => {
  let emulator: GenAuthEmulator;
  let moduleRef: TestingModule;
  let service: MfaManagementService;

  beforeEach(async () => {
    emulator = await startEmulator();
    ({ moduleRef, service } = await createService(emulator, { appId: 'app-1' }));
  });

  afterEach(async () => {
    await moduleRef.close();
    await emulator.stop();
  });

  it.each<[UserIdType, string]>([
    ['user_id', 'u-totp'],
    ['external_id', 'ext-tom'],
    ['phone', '+8613800000001'],
    ['email', 'tom@example.com'],
    ['username', 'tom'],
    ['identity', 'idp1:ou_tom'],
    ['sync_relation', 'lark:ou_tom'],
  ])('getUserMfaInfo finds the user by %s', async (userIdType, userId) => {
    const info = await service.getUserMfaInfo({ userId, userIdType });
    expect(info.boundFactors).toEqual(['TOTP']);
    expect(info.bound).toEqual({ EMAIL: false, SMS: false, TOTP: true, FACE: false });
    expect(info.totpStatus).toBe(true);
  });

  it('getUserMfaInfo normalizes every combination of factors', async () => {
    expect((await service.getUserMfaInfo({ userId: 'u-sms-email' })).boundFactors).toEqual(['EMAIL', 'SMS']);
    expect((await service.getUserMfaInfo({ userId: 'u-face' })).boundFactors).toEqual(['FACE']);
    expect((await service.getUserMfaInfo({ userId: 'u-none' })).boundFactors).toEqual([]);
    expect((await service.getUserMfaInfo({ userId: 'u-all' })).boundFactors).toEqual(['EMAIL', 'SMS', 'TOTP', 'FACE']);
  });

  it('getUserMfaInfo raises apiCode 2004 for a user the pool does not have', async () => {
    const error = await service.getUserMfaInfo({ userId: 'nobody' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenAuthApiError);
    expect(error).toMatchObject({ apiCode: 2004, statusCode: 404, method: 'GET', path: '/api/v3/get-user-mfa-info' });
    expect((error as GenAuthApiError).requestId).toMatch(/[0-9a-f-]{36}/);
    expect((error as Error).message).toContain('GET /api/v3/get-user-mfa-info');
  });

  it('getMfaTriggerData lists the application policies under wire names mapped to the library names', async () => {
    const data = await service.getMfaTriggerData({ userId: 'u-sms-email' });
    expect(data.applicationMfa).toEqual([
      { mfaPolicy: 'SMS', status: 1, sort: 0 },
      { mfaPolicy: 'TOTP', status: 1, sort: 1 },
      { mfaPolicy: 'EMAIL', status: 1, sort: 2 },
    ]);
    expect(data.mfaPhone).toMatch(/^\+86/);
    expect(data.mfaEmail).toBe('u-sms-email@example.test');
    expect(data.mfaToken).toEqual(expect.any(String));
    const again = await service.getMfaTriggerData({ userId: 'u-sms-email', appId: 'app-1' });
    expect(again.mfaToken).not.toBe(data.mfaToken);
  });

  it('getMfaTriggerData raises apiCode 2011 for an unknown application', async () => {
    await expect(service.getMfaTriggerData({ userId: 'u-totp', appId: 'app-x' })).rejects.toMatchObject({
      apiCode: 2011,
    });
  });

  it('setUsersMfaStatus stores the trigger data, and both status names and the binding info read it back', async () => {
    const result = await service.setUsersMfaStatus({
      userId: 'u-none',
      mfaTriggerData: {
        mfaToken: 'ignored',
        applicationMfa: [{ mfaPolicy: 'TOTP', status: 1, sort: 0 }],
        totpMfaEnabled: true,
        mfaEmail: 'none@example.com',
      },
    });
    expect(result).toEqual({ success: true });
    const status = await service.getUserMfaStatus({ userId: 'u-none' });
    expect(status.applicationMfa).toEqual([{ mfaPolicy: 'TOTP', status: 1, sort: 0 }]);
    expect(status.totpMfaEnabled).toBe(true);
    expect(await service.getUsersMfaStatus({ userId: 'u-none' })).toMatchObject({ mfaEmail: 'none@example.com' });
    expect((await service.getUserMfaInfo({ userId: 'u-none' })).boundFactors).toEqual(['EMAIL', 'TOTP']);
  });

  it.each([
    ['an empty userId', () => service.getUserMfaInfo({ userId: '' }), 'userId'],
    [
      'an unknown userIdType',
      () => service.getUserMfaInfo({ userId: 'u', userIdType: 'nickname' as UserIdType }),
      'userIdType',
    ],
    ['a non-string userId', () => service.getUserMfaStatus({ userId: 42 as unknown as string }), 'userId'],
    ['no arguments', () => service.getUsersMfaStatus(undefined as never), '(root)'],
    ['a missing appId', () => service.getMfaTriggerData({ userId: 'u-totp', appId: '' }), 'appId'],
    ['missing trigger data', () => service.setUsersMfaStatus({ userId: 'u' } as never), 'mfaTriggerData'],
    [
      'a bad factor status',
      () =>
        service.setUsersMfaStatus({
          userId: 'u',
          mfaTriggerData: { mfaToken: 't', applicationMfa: [{ mfaPolicy: 'SMS', status: 7 }] },
        }),
      'mfaTriggerData.applicationMfa.0.status',
    ],
    [
      'a non-boolean totpMfaEnabled',
      () =>
        service.setUsersMfaStatus({
          userId: 'u',
          mfaTriggerData: { mfaToken: 't', applicationMfa: [], totpMfaEnabled: 'yes' as never },
        }),
      'mfaTriggerData.totpMfaEnabled',
    ],
  ])('rejects %s naming the field, and sends nothing', async (_what, call, field) => {
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenAuthValidationError);
    expect((error as GenAuthValidationError).field).toBe(field);
    expect((error as Error).message).toContain(field);
    expect(emulator.requestCount()).toBe(0);
  });
});

describe('MfaManagementService: binding info as enabled/disabled strings', () => {
  it('reads "enabled" as bound and "disabled" as not', async () => {
    const emulator = await startEmulator({ mfaInfoFormat: 'string' });
    const { moduleRef, service } = await createService(emulator);
    try {
      const info = await service.getUserMfaInfo({ userId: 'u-sms-email' });
      expect(info.smsMfaStatus).toBe('enabled');
      expect(info.totpStatus).toBe('disabled');
      expect(info.boundFactors).toEqual(['EMAIL', 'SMS']);
    } finally {
      await moduleRef.close();
      await emulator.stop();
    }
  });
});
