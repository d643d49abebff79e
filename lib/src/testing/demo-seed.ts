import type { EmulatorSeed } from './emulator-seed.js';

/**
 * The demo pool (`genauth-emulator --demo`, and the sample app): one user per case the guard decides,
 * an application that enables every factor, and a fixed key pair so that a `.env` written once keeps
 * working across restarts.
 *
 * | user  | bound      |
 * | ----- | ---------- |
 * | alice | TOTP       |
 * | bob   | SMS, EMAIL |
 * | carol | FACE       |
 * | dave  | nothing    |
 */
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
  credentials: [{ accessKeyId: 'emulator-access-key-id', accessKeySecret: 'emulator-access-key-secret' }],
};
