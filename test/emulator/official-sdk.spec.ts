import { ManagementClient } from 'authing-node-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { startEmulator } from '../support/emulator-app.js';

describe('the official Node SDK (authing-node-sdk) pointed at the emulator', () => {
  let emulator: GenAuthEmulator;
  let client: ManagementClient;

  beforeAll(async () => {
    emulator = await startEmulator();
    client = new ManagementClient({ ...emulator.credentials[0]!, host: emulator.url });
  });

  afterAll(() => emulator.stop());

  it('getUserMfaInfo', async () => {
    const result = await client.getUserMfaInfo({ userId: 'tom@example.com', userIdType: 'email' });
    expect(result.statusCode).toBe(200);
    expect(result.data).toEqual({ totpStatus: true, faceMfaStatus: false, smsMfaStatus: false, emailMfaStatus: false });
  });

  it('listUsers: the SDK signs its nested options as the emulator checks them, and pages oldest first', async () => {
    const result = await client.listUsers({
      options: { pagination: { page: 2, limit: 2 }, sort: [{ field: 'createdAt', order: 'asc' }] } as never,
    });
    expect(result.statusCode).toBe(200);
    expect(result.data.totalCount).toBe(5);
    expect(result.data.list.map((user) => user.userId)).toEqual(['u-face', 'u-none']);
    const tooMany = await client.listUsers({ options: { pagination: { page: 1, limit: 51 } } });
    expect(tooMany.statusCode).toBe(400);
  });

  it('getMfaTriggerData', async () => {
    const result = await client.getMfaTriggerData({ appId: 'app-1', userId: 'idp1:ou_tom', userIdType: 'identity' });
    expect(result.statusCode).toBe(200);
    expect(result.data.applicationMfa.map((entry) => entry.mfaPolicy)).toEqual(['SMS', 'OTP', 'EMAIL']);
  });

  it('setUsersMfaStatus then getUserMfaStatus', async () => {
    const set = await client.setUsersMfaStatus({
      userId: 'u-none',
      mfaTriggerData: {
        mfaToken: 'x',
        applicationMfa: [{ mfaPolicy: 'SMS', status: 1, sort: 0 }],
        mfaPhone: '+8613900000000',
      },
    });
    expect(set).toMatchObject({ statusCode: 200, data: { success: true } });
    const status = await client.getUserMfaStatus({ userId: 'u-none' });
    expect(status.data.mfaPhone).toBe('+8613900000000');
    expect(emulator.getBindings('u-none')).toMatchObject({ SMS: true });
  });

  it('gets the business error of an unknown user in the body', async () => {
    const result = await client.getUserMfaInfo({ userId: 'ghost' });
    expect(result).toMatchObject({ statusCode: 404, apiCode: 2004 });
  });
});
