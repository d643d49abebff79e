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

const KNOWN_TYPES: ReadonlySet<string> = new Set(USER_ID_TYPES);

/** Whether `value` is one of {@link USER_ID_TYPES}. */
export function isUserIdType(value: unknown): value is UserIdType {
  return typeof value === 'string' && KNOWN_TYPES.has(value);
}

/** Longest `userId` accepted, in characters. */
export const USER_ID_MAX_LENGTH = 512;
