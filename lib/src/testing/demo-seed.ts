import type { EmulatorSeed } from './emulator-seed.js';

/**
 * The demo pool (`genauth-emulator --demo`, and the sample app): one user per case the guard decides,
 * an application that enables every factor, and a fixed key pair so that a `.env` written once keeps
 * working across restarts. Every user signs in with {@link DEMO_PASSWORD}; alice's TOTP secret is
 * {@link DEMO_TOTP_SECRET}.
 *
 * | user  | bound      |
 * | ----- | ---------- |
 * | alice | TOTP       |
 * | bob   | SMS, EMAIL |
 * | carol | FACE       |
 * | dave  | nothing    |
 */
/** Every demo user's password (`POST /api/v3/signin`). */
export const DEMO_PASSWORD = 'demo-password';
/** alice's TOTP secret: add it to an authenticator app, or compute codes with `totpCode(DEMO_TOTP_SECRET)`. */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export const DEMO_SEED: EmulatorSeed = {
  users: [
    {
      userId: 'alice',
      username: 'alice',
      email: 'alice@example.com',
      password: DEMO_PASSWORD,
      mfa: { TOTP: true },
      totpSecret: DEMO_TOTP_SECRET,
    },
    {
      userId: 'bob',
      username: 'bob',
      email: 'bob@example.com',
      phone: '+8613800000002',
      password: DEMO_PASSWORD,
      mfa: { SMS: true, EMAIL: true },
    },
    { userId: 'carol', username: 'carol', email: 'carol@example.com', password: DEMO_PASSWORD, mfa: { FACE: true } },
    { userId: 'dave', username: 'dave', email: 'dave@example.com', password: DEMO_PASSWORD },
  ],
  applications: [{ appId: 'demo-app', policies: ['TOTP', 'SMS', 'EMAIL', 'FACE'] }],
  credentials: [{ accessKeyId: 'emulator-access-key-id', accessKeySecret: 'emulator-access-key-secret' }],
};
