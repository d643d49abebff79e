import { JwtService } from '@nestjs/jwt';
import { DEMO_USERS, demoRoles } from './demo/demo-seed.js';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from 'nestjs-genauth-mfa/testing';
import type { RunningSample } from './sample-runner.js';

/** What `npm start` prints: where things run, demo tokens, and curl commands for each outcome. */
export async function banner(sample: RunningSample): Promise<string> {
  const { url, config, emulator } = sample;
  const lines = [
    `nestjs-genauth-mfa sample app listening on ${url}`,
    emulator
      ? `Using the embedded GenAuth emulator at ${emulator.url} (set GENAUTH_ACCESS_KEY_ID/SECRET to use the real GenAuth).`
      : `Using the real GenAuth at ${config.host ?? 'https://api.genauth.ai'}.`,
  ];
  if (!emulator) return lines.join('\n');
  const jwt = sample.app.get(JwtService);
  lines.push('', 'Demo tokens (valid one hour), paste them into your shell:');
  for (const user of DEMO_USERS) {
    const token = await jwt.signAsync({ sub: user.userId, roles: demoRoles(user.userId) });
    lines.push(`  export ${user.userId.toUpperCase()}=${token}   # ${user.about}`);
  }
  const get = (who: string | undefined, path: string, note: string) =>
    `  curl -s ${who ? `-H "authorization: Bearer $${who}" ` : ''}${url}${path}   # ${note}`;
  lines.push(
    '',
    'Then try:',
    get(undefined, '/', '200: public'),
    get('ALICE', '/me', "200: alice's bindings"),
    get('ALICE', '/vault/totp', '200: TOTP bound'),
    get('DAVE', '/vault/totp', '403 MFA_NOT_BOUND, with missing factors'),
    get(undefined, '/vault/totp', '401: no token'),
    get('CAROL', '/vault/any-of', '200: FACE is one of SMS, FACE'),
    get('BOB', '/vault/all-of', '200: SMS and EMAIL'),
    get('BOB', '/reports/summary', '200: controller policy EMAIL'),
    get('BOB', '/reports/audit', '403: route overrides with FACE or TOTP'),
    get('DAVE', '/reports/status', '200: @SkipMfa'),
    get('CAROL', '/vault/totp', '403: carol has FACE, not TOTP'),
    `  curl -s -X PUT -H "authorization: Bearer $ALICE" -H 'content-type: application/json' -d '{"totpMfaEnabled":true}' ${url}/admin/users/carol/mfa-status   # admin binds TOTP for carol`,
    get('CAROL', '/vault/totp', 'now 200, at once'),
    `  curl -s ${url}/auth/demo-token -H 'content-type: application/json' -d '{"userId":"bob"}'   # a fresh token`,
    '',
    `In a browser: ${url}/web. Sign in as dave (password ${DEMO_PASSWORD}; nothing bound, the commands above`,
    'leave him so) and open the quarterly report: you are sent to enroll TOTP (scan the QR code or type its',
    'secret into an authenticator app), and back to the report. Then open the transfer page: it wants a factor',
    "verified within 5 minutes, so it asks for a code (bob: by SMS or e-mail) and sends you back. alice's",
    `authenticator secret is ${DEMO_TOTP_SECRET}; ${url}/web/demo/codes shows the demo users' current codes`,
    'and the codes "sent" by SMS and e-mail. The preview',
    '(report-only) and export (grace period) pages log here who they would refuse.',
    '',
    'Ctrl-C stops the app and the emulator.',
  );
  return lines.join('\n');
}
