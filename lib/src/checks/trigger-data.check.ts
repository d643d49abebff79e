import { userRefProblem } from '../contracts/user-ref.js';
import { fail, isRecord, type CheckFailure, type Checked } from './check-result.js';

// The rules of MfaTriggerDataDto, GetMfaTriggerDataDto and SetUsersMfaStatusDto, written out so that the
// service never loads class-validator; a test holds them to the DTOs' answers. Two places are stricter than
// class-validator, which takes an array where a nested object belongs: here that is "must be an object".

/** One entry of `applicationMfa` as checked: the factor's wire name, its status and order. */
export interface CheckedApplicationMfa {
  mfaPolicy: string;
  status: number;
  sort?: number;
}

/** Trigger data as checked; the optional fields are strings (booleans for the last two) or null. */
export interface CheckedTriggerData {
  mfaToken: string;
  applicationMfa: CheckedApplicationMfa[];
  [field: string]: unknown;
}

const OPTIONAL_TEXT = [
  'mfaPhone',
  'mfaPhoneCountryCode',
  'mfaEmail',
  'nickname',
  'username',
  'phone',
  'phoneCountryCode',
] as const;
const OPTIONAL_FLAGS = ['faceMfaEnabled', 'totpMfaEnabled'] as const;

const absent = (value: unknown) => value === undefined || value === null;

/** `@IsString() @IsNotEmpty()`, as class-validator words it. */
function textProblem(field: string, name: string, value: unknown): CheckFailure | undefined {
  if (absent(value) || value === '') return { field, detail: `${name} should not be empty` };
  if (typeof value !== 'string') return { field, detail: `${name} must be a string` };
  return undefined;
}

function entryProblem(entry: unknown, at: string): CheckFailure | undefined {
  if (!isRecord(entry)) {
    return { field: at, detail: 'each value in nested property applicationMfa must be an object' };
  }
  const problem = textProblem(`${at}.mfaPolicy`, 'mfaPolicy', entry['mfaPolicy']);
  if (problem) return problem;
  if (entry['status'] !== 0 && entry['status'] !== 1) {
    return { field: `${at}.status`, detail: 'status must be one of the following values: 0, 1' };
  }
  const sort = entry['sort'];
  if (!absent(sort) && !(typeof sort === 'number' && Number.isInteger(sort))) {
    return { field: `${at}.sort`, detail: 'sort must be an integer number' };
  }
  return undefined;
}

/** The checks of `MfaTriggerDataDto`; `prefix` names where the data sits (`mfaTriggerData.` in a request). */
export function checkTriggerData(plain: unknown, prefix = ''): Checked<CheckedTriggerData> {
  if (!isRecord(plain)) return fail(prefix ? prefix.slice(0, -1) : '(root)', 'must be an object');
  if (typeof plain['mfaToken'] !== 'string') return fail(`${prefix}mfaToken`, 'mfaToken must be a string');
  const list = plain['applicationMfa'];
  if (!Array.isArray(list)) return fail(`${prefix}applicationMfa`, 'applicationMfa must be an array');
  for (const [index, entry] of list.entries()) {
    const problem = entryProblem(entry, `${prefix}applicationMfa.${index}`);
    if (problem) return { ok: false, failure: problem };
  }
  for (const field of OPTIONAL_TEXT) {
    const value = plain[field];
    if (!absent(value) && typeof value !== 'string') return fail(`${prefix}${field}`, `${field} must be a string`);
  }
  for (const field of OPTIONAL_FLAGS) {
    const value = plain[field];
    if (!absent(value) && typeof value !== 'boolean') {
      return fail(`${prefix}${field}`, `${field} must be a boolean value`);
    }
  }
  return { ok: true, value: plain as CheckedTriggerData };
}

/** The checks of `GetMfaTriggerDataDto`: `appId`, then the user (class-validator's order: own fields first). */
export function checkTriggerDataArgs(plain: unknown): Checked<{ appId: string; userId: string; userIdType?: string }> {
  if (!isRecord(plain)) return fail('(root)', 'must be an object');
  const problem = textProblem('appId', 'appId', plain['appId']) ?? userRefProblem(plain);
  if (problem) return { ok: false, failure: problem };
  return { ok: true, value: plain as { appId: string; userId: string; userIdType?: string } };
}

/** The checks of `SetUsersMfaStatusDto`: `mfaTriggerData`, then the user. */
export function checkSetStatusArgs(
  plain: unknown,
): Checked<{ userId: string; userIdType?: string; mfaTriggerData: CheckedTriggerData }> {
  if (!isRecord(plain)) return fail('(root)', 'must be an object');
  const data = plain['mfaTriggerData'];
  if (absent(data)) return fail('mfaTriggerData', 'mfaTriggerData should not be null or undefined');
  const checked = checkTriggerData(data, 'mfaTriggerData.');
  if (!checked.ok) return checked;
  const problem = userRefProblem(plain);
  if (problem) return { ok: false, failure: problem };
  return { ok: true, value: plain as { userId: string; userIdType?: string; mfaTriggerData: CheckedTriggerData } };
}

/** The checks of set-mfa-status's answer: `{ success: boolean }`. */
export function checkIsSuccess(plain: unknown): Checked<{ success: boolean }> {
  if (!isRecord(plain)) return fail('(root)', 'must be an object');
  if (typeof plain['success'] !== 'boolean') return fail('success', 'success must be a boolean value');
  return { ok: true, value: { success: plain['success'] } };
}
