import { userRefProblem } from '../contracts/user-ref.js';
import { fail, type Checked } from './check-result.js';

// Written out rather than run through class-validator, which costs as much CPU as the rest of a cold lookup
// and, loaded, a third of the library's import time; a test holds them to MfaUserRefDto's and UserMfaInfoDto's
// answers.

/** The binding statuses get-user-mfa-info may give. Any other value is unreadable, never "bound". */
export const BINDING_VALUES: readonly unknown[] = [true, false, 'enabled', 'disabled'];

/** The checks of `MfaUserRefDto` (`userRefProblem`, the library's one copy of the id rules). */
export function checkUserRef(plain: unknown): Checked<{ userId: string; userIdType?: string }> {
  const problem = userRefProblem(plain);
  if (problem) return { ok: false, failure: problem };
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
