import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import {
  checkIsSuccess,
  checkSetStatusArgs,
  checkTriggerData,
  checkTriggerDataArgs,
} from '../../lib/src/checks/trigger-data.check.js';
import { GetMfaTriggerDataDto, SetUsersMfaStatusDto } from '../../lib/src/dto/mfa-request.dto.js';
import { IsSuccessDto } from '../../lib/src/dto/mfa-response.dto.js';
import { MfaTriggerDataDto } from '../../lib/src/dto/mfa-trigger-data.dto.js';
import { toValidDto } from '../support/dto-validation.js';

type Result = { ok: boolean; failure?: { field: string; detail: string } };
const answer = (result: Result) => (result.ok ? 'ok' : `${result.failure!.field}: ${result.failure!.detail}`);
// The arguments' user is checked by userRefProblem, which words a missing id "must be a string" where
// class-validator names the length rule first: those suites compare the failing field.
const field = (result: Result) => (result.ok ? 'ok' : result.failure!.field);

const entry = { mfaPolicy: 'SMS', status: 1, sort: 2 };
const data = { mfaToken: 't', applicationMfa: [entry] };

const TRIGGER_DATA: unknown[] = [
  data,
  { ...data, extra: { kept: true } },
  { ...data, applicationMfa: [] },
  { ...data, mfaEmail: null, faceMfaEnabled: null, mfaPhone: '+8613800000000', totpMfaEnabled: false },
  {},
  { applicationMfa: [] },
  { mfaToken: 1, applicationMfa: 'x' },
  { mfaToken: 't' },
  { mfaToken: 't', applicationMfa: {} },
  { ...data, applicationMfa: [entry, {}] },
  { ...data, applicationMfa: [{ mfaPolicy: '', status: 'x' }] },
  { ...data, applicationMfa: [{ mfaPolicy: 7, status: 1 }] },
  { ...data, applicationMfa: [{ mfaPolicy: 'S', status: 2 }] },
  { ...data, applicationMfa: [{ mfaPolicy: 'S', status: '1' }] },
  { ...data, applicationMfa: [{ mfaPolicy: 'S', status: 1.5 }] },
  { ...data, applicationMfa: [{ mfaPolicy: 'S', status: 0, sort: 1.5 }] },
  { ...data, applicationMfa: [{ mfaPolicy: 'S', status: 0, sort: null }] },
  { ...data, mfaPhone: 1, faceMfaEnabled: 'x' },
  { ...data, faceMfaEnabled: 'x' },
  { ...data, totpMfaEnabled: 1 },
  { ...data, nickname: true },
  null,
];

describe('the written-out checks answer as the DTO classes do', () => {
  it.each(TRIGGER_DATA)('trigger data %j as MfaTriggerDataDto', (input) => {
    expect(answer(checkTriggerData(input))).toBe(answer(toValidDto(MfaTriggerDataDto, input)));
  });

  it.each<unknown>([
    { appId: 'a', userId: 'u' },
    { appId: 'a', userId: 'u', userIdType: 'email' },
    {},
    { userId: 'u' },
    { appId: '', userId: 3 },
    { appId: 5, userId: 'u' },
    { appId: 'a' },
    { appId: 'a', userId: 'u', userIdType: 'x' },
    { appId: 'a', userId: 'x'.repeat(513) },
  ])('arguments %j as GetMfaTriggerDataDto', (input) => {
    expect(field(checkTriggerDataArgs(input))).toBe(field(toValidDto(GetMfaTriggerDataDto, input)));
  });

  it.each<unknown>([
    { userId: 'u', mfaTriggerData: data },
    { userId: 'u' },
    { userId: 'u', mfaTriggerData: null },
    { mfaTriggerData: {} },
    { mfaTriggerData: data },
    { userId: '', mfaTriggerData: data },
    { userId: 'u', mfaTriggerData: { mfaToken: 't', applicationMfa: [{ mfaPolicy: 1, status: 1 }] } },
    { userId: 'u', userIdType: 'nickname', mfaTriggerData: data },
  ])('arguments %j as SetUsersMfaStatusDto', (input) => {
    expect(field(checkSetStatusArgs(input))).toBe(field(toValidDto(SetUsersMfaStatusDto, input)));
  });

  it.each<unknown>([{ success: true }, { success: false }, {}, { success: 'true' }, { success: 1 }, null, []])(
    'set-mfa-status answer %j as IsSuccessDto',
    (input) => {
      expect(answer(checkIsSuccess(input))).toBe(answer(toValidDto(IsSuccessDto, input)));
    },
  );
});

describe('where the written-out checks are stricter than class-validator', () => {
  // class-validator takes an array where a nested object belongs; read, it would give fields of undefined.
  it.each<[string, unknown, string]>([
    ['a list inside applicationMfa', { ...data, applicationMfa: [[entry]] }, 'applicationMfa.0'],
    ['a number inside applicationMfa', { ...data, applicationMfa: [1] }, 'applicationMfa.0'],
    ['null inside applicationMfa', { ...data, applicationMfa: [null] }, 'applicationMfa.0'],
  ])('refuses %s', (_, input, field) => {
    const checked = checkTriggerData(input);
    expect(checked.ok).toBe(false);
    expect(checked.ok || checked.failure.field).toBe(field);
  });

  it('refuses a list, or a number, as the trigger data of set-mfa-status', () => {
    for (const mfaTriggerData of [[], 5]) {
      const checked = checkSetStatusArgs({ userId: 'u', mfaTriggerData });
      expect(checked.ok || checked.failure).toEqual({ field: 'mfaTriggerData', detail: 'must be an object' });
    }
    expect(toValidDto(SetUsersMfaStatusDto, { userId: 'u', mfaTriggerData: [] }).ok).toBe(true);
  });
});
