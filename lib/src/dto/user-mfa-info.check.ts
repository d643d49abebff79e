import type { DtoFailure } from './dto-validation.js';
import { BINDING_VALUES } from './mfa-response.dto.js';
import { USER_ID_MAX_LENGTH, USER_ID_TYPES } from './user-id-type.js';

// getUserMfaInfo runs on every cold lookup of the guard. Its two checks are written out here rather than
// run through class-transformer and class-validator, which cost as much CPU as the rest of the call;
// a test holds them to the same answers as MfaUserRefDto and UserMfaInfoDto.

type Checked<T> = { ok: true; value: T } | { ok: false; failure: DtoFailure };

/** The checks of `MfaUserRefDto`: `userId` a non-empty string of at most 512 characters, a known `userIdType`. */
export function checkUserRef(plain: unknown): Checked<{ userId: string; userIdType?: string }> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { ok: false, failure: { field: '(root)', detail: 'must be an object' } };
  }
  const { userId, userIdType } = plain as { userId?: unknown; userIdType?: unknown };
  if (typeof userId !== 'string') return fail('userId', 'userId must be a string');
  if (userId === '') return fail('userId', 'userId should not be empty');
  if (userId.length > USER_ID_MAX_LENGTH) {
    return fail('userId', `userId must be shorter than or equal to ${USER_ID_MAX_LENGTH} characters`);
  }
  if (userIdType !== undefined && userIdType !== null && !USER_ID_TYPES.includes(userIdType as never)) {
    return fail('userIdType', `userIdType must be one of the following values: ${USER_ID_TYPES.join(', ')}`);
  }
  return { ok: true, value: plain as { userId: string; userIdType?: string } };
}

/** The four binding statuses of get-user-mfa-info, as `UserMfaInfoDto` checks them. */
export interface CheckedMfaInfo {
  totpStatus: boolean | string;
  faceMfaStatus: boolean | string;
  smsMfaStatus: boolean | string;
  emailMfaStatus: boolean | string;
}

const STATUS_FIELDS = ['totpStatus', 'faceMfaStatus', 'smsMfaStatus', 'emailMfaStatus'] as const;

/** The checks of `UserMfaInfoDto`: each status `true`, `false`, `'enabled'` or `'disabled'`. */
export function checkUserMfaInfo(plain: unknown): Checked<CheckedMfaInfo> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { ok: false, failure: { field: '(root)', detail: 'must be an object' } };
  }
  const data = plain as Record<string, unknown>;
  for (const field of STATUS_FIELDS) {
    if (!BINDING_VALUES.includes(data[field])) {
      return fail(field, `${field} must be true, false, 'enabled' or 'disabled'`);
    }
  }
  return { ok: true, value: data as unknown as CheckedMfaInfo };
}

function fail(field: string, detail: string): { ok: false; failure: DtoFailure } {
  return { ok: false, failure: { field, detail } };
}
