/** How GenAuth reads a `userId` (API.md §3). */
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
