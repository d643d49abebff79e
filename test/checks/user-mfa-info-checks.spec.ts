import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { toValidDto } from '../support/dto-validation.js';
import { MfaUserRefDto } from '../../lib/src/dto/mfa-request.dto.js';
import { UserMfaInfoDto } from '../../lib/src/dto/mfa-response.dto.js';
import { checkUserMfaInfo, checkUserRef } from '../../lib/src/checks/user-mfa-info.check.js';

const outcome = (result: { ok: boolean; failure?: { field: string } }) => (result.ok ? 'ok' : result.failure!.field);

describe("getUserMfaInfo's written-out checks", () => {
  it.each<unknown>([
    { userId: 'u1' },
    { userId: 'u1', userIdType: 'email' },
    { userId: 'u1', userIdType: null },
    { userId: 'u1', extra: true },
    { userId: 'x'.repeat(512) },
    { userId: 'x'.repeat(513) },
    { userId: '' },
    { userId: 42 },
    {},
    { userId: 'u1', userIdType: 'nickname' },
    { userId: 'u1', userIdType: 7 },
    null,
    'u1',
    [],
  ])('answer %j as MfaUserRefDto does', (input) => {
    expect(outcome(checkUserRef(input))).toBe(outcome(toValidDto(MfaUserRefDto, input)));
  });

  const valid = { totpStatus: true, faceMfaStatus: false, smsMfaStatus: 'enabled', emailMfaStatus: 'disabled' };
  it.each<unknown>([
    valid,
    { ...valid, extra: 1 },
    { ...valid, totpStatus: 'yes' },
    { ...valid, faceMfaStatus: null },
    { ...valid, smsMfaStatus: 1 },
    { totpStatus: true },
    {},
    null,
    [valid],
  ])('answer %j as UserMfaInfoDto does', (input) => {
    expect(outcome(checkUserMfaInfo(input))).toBe(outcome(toValidDto(UserMfaInfoDto, input)));
  });
});
