import { fail, type Checked } from './check-result.js';

/** A user as a list-users page gives it, with the fields an audit reads. */
export interface CheckedListedUser {
  userId: string;
  username: string | null;
  email: string | null;
  phone: string | null;
  /** ISO 8601, or null when the user never did MFA (GenAuth sends it absent, `null` or `""`). */
  lastMfaTime: string | null;
}

/** One page of `POST /api/v3/list-users`. */
export interface CheckedUserPage {
  totalCount: number;
  list: CheckedListedUser[];
}

const TEXT_FIELDS = ['username', 'email', 'phone'] as const;

/**
 * Checks a list-users `data`: `totalCount` a whole number, `list` an array (one object is taken as a list of
 * one, as GenAuth's generated samples show it), each user with a non-empty `userId`. Only the fields the
 * audit reads are kept: the rest (custom data, identities) never leaves this function.
 */
export function checkUserPage(plain: unknown): Checked<CheckedUserPage> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) return fail('(root)', 'must be an object');
  const data = plain as Record<string, unknown>;
  const totalCount = data['totalCount'];
  if (typeof totalCount !== 'number' || !Number.isSafeInteger(totalCount) || totalCount < 0) {
    return fail('totalCount', 'must be a whole number');
  }
  const raw = data['list'];
  const entries = Array.isArray(raw) ? raw : raw !== null && typeof raw === 'object' ? [raw] : undefined;
  if (!entries) return fail('list', 'must be an array');
  const list: CheckedListedUser[] = [];
  for (const [index, entry] of entries.entries()) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      return fail(`list.${index}`, 'must be an object');
    }
    const user = entry as Record<string, unknown>;
    const userId = user['userId'];
    if (typeof userId !== 'string' || userId === '' || userId.length > 256) {
      return fail(`list.${index}.userId`, 'must be a non-empty string');
    }
    const checked: CheckedListedUser = { userId, username: null, email: null, phone: null, lastMfaTime: null };
    for (const field of TEXT_FIELDS) {
      const value = user[field];
      if (value !== undefined && value !== null && typeof value !== 'string') {
        return fail(`list.${index}.${field}`, 'must be a string');
      }
      checked[field] = typeof value === 'string' && value !== '' ? value : null;
    }
    checked.lastMfaTime = isoOrNull(user['lastMfaTime']);
    list.push(checked);
  }
  return { ok: true, value: { totalCount, list } };
}

/** A date-time as ISO 8601 UTC; absent, empty or unreadable values are "never". */
function isoOrNull(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  if (value === '') return null;
  const time = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}
