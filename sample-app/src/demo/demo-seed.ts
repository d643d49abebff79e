/** The users of the library's `DEMO_SEED`, as the sample app presents them. alice is also the admin. */
export const DEMO_USERS = [
  { userId: 'alice', roles: ['admin'], about: 'TOTP bound (admin)' },
  { userId: 'bob', roles: [], about: 'SMS and EMAIL bound' },
  { userId: 'carol', roles: [], about: 'FACE bound' },
  { userId: 'dave', roles: [], about: 'nothing bound' },
] as const;

/** Roles of a demo user (none for users the demo does not know). */
export function demoRoles(userId: string): string[] {
  return [...(DEMO_USERS.find((user) => user.userId === userId)?.roles ?? [])];
}
