/** How GenAuth reads a `userId` (docs/wire-protocol.md). */
export type UserIdType =
  'user_id' | 'external_id' | 'phone' | 'email' | 'username' | 'identity' | 'sync_relation' | 'custom_field';

/** Every {@link UserIdType}. */
export const USER_ID_TYPES: readonly UserIdType[] = Object.freeze([
  'user_id',
  'external_id',
  'phone',
  'email',
  'username',
  'identity',
  'sync_relation',
  'custom_field',
]);

/** A user, as every method, the guard and invalidation name one. */
export interface MfaUserRef {
  /** The user's identifier, of the kind `userIdType` says. */
  readonly userId: string;
  /** How GenAuth reads `userId`; the module's `userIdType` when omitted. */
  readonly userIdType?: UserIdType;
}

/** Longest `userId` accepted, in characters. */
export const USER_ID_MAX_LENGTH = 512;

const KNOWN_TYPES: ReadonlySet<string> = new Set(USER_ID_TYPES);

/** Whether `value` is one of {@link USER_ID_TYPES}. */
export function isUserIdType(value: unknown): value is UserIdType {
  return typeof value === 'string' && KNOWN_TYPES.has(value);
}

/** What is wrong with a user reference: the field and a sentence, as the DTOs' messages word it. */
export interface UserRefProblem {
  readonly field: string;
  readonly detail: string;
}

/**
 * The one copy of the rules a user reference must meet before anything is sent or cached: an object,
 * `userId` a non-empty string of at most {@link USER_ID_MAX_LENGTH} characters, `userIdType` absent or
 * one of {@link USER_ID_TYPES}. Returns undefined when it meets them. (`MfaUserRefDto` states the same
 * rules as decorators, for `ValidationPipe`; a test holds the two to the same answers.)
 */
export function userRefProblem(value: unknown): UserRefProblem | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { field: '(root)', detail: 'must be an object' };
  }
  const { userId, userIdType } = value as { userId?: unknown; userIdType?: unknown };
  if (typeof userId !== 'string') return { field: 'userId', detail: 'userId must be a string' };
  if (userId === '') return { field: 'userId', detail: 'userId should not be empty' };
  if (userId.length > USER_ID_MAX_LENGTH) {
    return { field: 'userId', detail: `userId must be shorter than or equal to ${USER_ID_MAX_LENGTH} characters` };
  }
  if (userIdType !== undefined && userIdType !== null && !isUserIdType(userIdType)) {
    return {
      field: 'userIdType',
      detail: `userIdType must be one of the following values: ${USER_ID_TYPES.join(', ')}`,
    };
  }
  return undefined;
}
