import type { EmulatorSeed } from 'nestjs-genauth-mfa/testing';

/** The demo users: one per case the guard decides. alice is also the admin. */
export const DEMO_USERS = [
  { userId: 'alice', roles: ['admin'], about: 'TOTP bound (admin)' },
  { userId: 'bob', roles: [], about: 'SMS and EMAIL bound' },
  { userId: 'carol', roles: [], about: 'FACE bound' },
  { userId: 'dave', roles: [], about: 'nothing bound' },
] as const;

/** The embedded emulator's pool. */
export const DEMO_SEED: EmulatorSeed = {
  users: [
    { userId: 'alice', username: 'alice', email: 'alice@example.com', mfa: { TOTP: true } },
    {
      userId: 'bob',
      username: 'bob',
      email: 'bob@example.com',
      phone: '+8613800000002',
      mfa: { SMS: true, EMAIL: true },
    },
    { userId: 'carol', username: 'carol', email: 'carol@example.com', mfa: { FACE: true } },
    { userId: 'dave', username: 'dave', email: 'dave@example.com' },
  ],
  applications: [{ appId: 'demo-app', policies: ['TOTP', 'SMS', 'EMAIL', 'FACE'] }],
};

/** Roles of a demo user (none for users the demo does not know). */
export function demoRoles(userId: string): string[] {
  return [...(DEMO_USERS.find((user) => user.userId === userId)?.roles ?? [])];
}
