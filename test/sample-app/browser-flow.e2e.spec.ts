import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, totpCode } from 'nestjs-genauth-mfa/testing';
import { startSample, type RunningSample } from '../../sample-app/src/sample-runner.js';

/** Debian's Chromium (installed by `npm test`'s pretest and by .ci/run); nothing is downloaded. */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Where the screenshots of each step go. */
const OUT = fileURLToPath(new URL('../output/browser-flow/', import.meta.url));

describe('the sample app in a real browser: a user without TOTP is sent to enrollment and back', () => {
  let sample: RunningSample;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    sample = await startSample({ PORT: '0', JWT_SECRET: 'test-secret-of-the-browser-flow' });
    // Passkeys need a domain for their RP id (an IP address is refused): localhost, on the sample's loopback.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--host-resolver-rules=MAP localhost 127.0.0.1'],
    });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await sample?.stop();
  });

  const signIn = async (user: string) => {
    await page.goto(`${sample.url}/web/sign-in?user=${user}&returnTo=/web`);
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('#sign-in');
    await page.waitForURL(/\/web$/);
  };

  it('signs in through GenAuth, enrolls TOTP from the QR page with a real code, and is back on the page', async () => {
    expect(sample.emulator!.getBindings('dave')?.TOTP).toBe(false);

    // Signed out, the report sends the browser to sign in (not to a JSON 401), and back after it.
    await page.goto(`${sample.url}/web/reports`);
    expect(new URL(page.url()).pathname).toBe('/web');
    expect(new URL(page.url()).searchParams.get('returnTo')).toBe('/web/reports');
    expect(await page.textContent('.session')).toContain('Not signed in');
    await page.screenshot({ path: join(OUT, '1-start.png') });

    await page.click('text=Sign in as dave');
    await page.fill('#password', 'not-the-password');
    await page.click('#sign-in');
    expect(await page.textContent('#error')).toContain('Wrong account or password');
    await page.fill('#password', DEMO_PASSWORD);
    await page.click('#sign-in');
    await page.waitForURL(/\/web\/mfa\/enroll\?/);
    const enrollment = new URL(page.url());
    expect(enrollment.searchParams.get('returnTo')).toBe('/web/reports?mfa_return=1');
    expect(await page.textContent('#signed-in')).toBe('dave');
    expect(await page.getAttribute('#qr', 'src')).toMatch(/^data:image\/png;base64,/);
    const secret = (await page.textContent('#secret'))!;
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.screenshot({ path: join(OUT, '2-enrollment.png') });

    // A wrong code binds nothing and says how many tries remain; the right one, computed from the page's secret, binds.
    await page.fill('#code', String((Number(totpCode(secret)) + 1) % 1_000_000).padStart(6, '0'));
    await page.click('#enroll');
    expect(await page.textContent('#error')).toContain('tries left');
    expect(sample.emulator!.getBindings('dave')?.TOTP).toBe(false);
    await page.fill('#code', totpCode(secret));
    await page.click('#enroll');
    await page.waitForURL(/\/web\/reports\?mfa_return=1$/);
    expect(await page.textContent('#content')).toContain('Revenue grew 12%');
    await page.screenshot({ path: join(OUT, '3-back-on-the-page.png') });

    // Bound for real: GenAuth (the emulator) holds the very secret the page showed.
    expect(sample.emulator!.getBindings('dave')?.TOTP).toBe(true);
    expect(sample.emulator!.totpSecretOf('dave')).toBe(secret);
    for (const step of ['1-start', '2-enrollment', '3-back-on-the-page']) {
      expect(existsSync(join(OUT, `${step}.png`))).toBe(true);
    }
  });

  it('asks for a code before the transfer page (step-up), and shows it after a verification', async () => {
    await signIn('alice');
    await page.click('text=Transfer');
    await page.waitForURL(/\/web\/mfa\/verify\?/);
    expect(new URL(page.url()).searchParams.get('returnTo')).toBe('/web/transfer?mfa_return=1');
    await page.screenshot({ path: join(OUT, '4-step-up.png') });
    await page.fill('#code', '000000');
    await page.click('#verify');
    expect(await page.textContent('#error')).toContain('tries left');
    await page.fill('#code', totpCode(DEMO_TOTP_SECRET));
    await page.click('#verify');
    await page.waitForURL(/\/web\/transfer\?mfa_return=1$/);
    expect(await page.textContent('#content')).toContain('verified a factor within');
    await page.screenshot({ path: join(OUT, '5-transfer.png') });
  });

  it('lets bob, who bound SMS and e-mail, step up by a code sent by SMS, then by e-mail in a new session', async () => {
    for (const [factor, to, masked] of [
      ['sms', '+8613800000002', '•••• 0002'],
      ['email', 'bob@example.com', 'b•••@example.com'],
    ] as const) {
      await signIn('bob');
      await page.click('text=Transfer');
      await page.waitForURL(/\/web\/mfa\/verify\?/);
      // bob has no TOTP: the page offers what he bound, and no code field until a code is sent.
      expect(await page.locator('#code').count()).toBe(0);
      await page.click(`#send-${factor}`);
      expect(await page.textContent('#sent-to')).toContain(masked);
      await page.screenshot({ path: join(OUT, `6-code-sent-by-${factor}.png`) });
      // The demo inbox shows what the emulator "sent"; a person trying the sample reads it there.
      const inbox = await browser.newPage();
      await inbox.goto(`${sample.url}/web/demo/codes`);
      const code = (await inbox.textContent(`code.sent[data-to="${to}"]`))!;
      await inbox.close();
      expect(code).toBe(sample.emulator!.codeSentTo(to));
      await page.fill('#code', code === '000000' ? '111111' : '000000');
      await page.click('#verify');
      expect(await page.textContent('#error')).toContain('tries left');
      await page.fill('#code', code);
      await page.click('#verify');
      await page.waitForURL(/\/web\/transfer\?mfa_return=1$/);
      expect(await page.textContent('#content')).toContain('bob verified a factor within');
      await page.click('text=Sign out');
    }
  });

  it('adds a passkey after a verification, and steps up with it in a new session (a virtual authenticator)', async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    const base = sample.url.replace('127.0.0.1', 'localhost');
    const signInAt = async () => {
      await tab.goto(`${base}/web/sign-in?user=alice&returnTo=/web`);
      await tab.fill('#password', DEMO_PASSWORD);
      await tab.click('#sign-in');
      await tab.waitForURL(/\/web$/);
    };
    try {
      await signInAt();
      await tab.goto(`${base}/web/mfa/passkey`);
      await tab.click('#add-passkey');
      await expect.poll(() => tab.textContent('#passkey-result')).toContain('Verify one of your factors (TOTP) first');
      expect(sample.emulator!.passkeysOf('alice')).toEqual([]);
      await tab.click('#verify-first');
      // The next step's code: an earlier test took this step's.
      await tab.fill('#code', totpCode(DEMO_TOTP_SECRET, Date.now() + 30_000));
      await tab.click('#verify');
      await tab.waitForURL(/\/web\/mfa\/passkey$/);
      await tab.click('#add-passkey');
      await expect.poll(() => tab.textContent('#passkey-result')).toBe('Your passkey is added.');
      expect(sample.emulator!.passkeysOf('alice')).toHaveLength(1);
      await tab.screenshot({ path: join(OUT, '8-passkey-added.png') });

      await tab.click('text=Sign out');
      await signInAt();
      await tab.click('text=Transfer');
      await tab.waitForURL(/\/web\/mfa\/verify\?/);
      await tab.click('#use-passkey');
      await tab.waitForURL(/\/web\/transfer\?mfa_return=1$/);
      expect(await tab.textContent('#content')).toContain('alice verified a factor within');
      await tab.screenshot({ path: join(OUT, '9-transfer-by-passkey.png') });
    } finally {
      await context.close();
    }
  });

  it('goes straight to the page for a user who has TOTP', async () => {
    await signIn('alice');
    await page.goto(`${sample.url}/web/reports`);
    expect(await page.textContent('#content')).toContain('Shown to alice');
  });

  it('signs out, and the pages say so', async () => {
    await signIn('carol');
    await page.goto(`${sample.url}/web/export`);
    expect(await page.textContent('#signed-in')).toBe('carol');
    await page.click('text=Sign out');
    expect(new URL(page.url()).pathname).toBe('/web');
    expect(await page.textContent('.session')).toContain('Not signed in');
  });

  it('shows admins the MFA coverage: a chart per factor, who lacks TOTP, and the CSV download', async () => {
    const emulator = sample.emulator!;
    const users = emulator.userIds();
    const bindings = users.map((userId) => ({ userId, ...emulator.getBindings(userId)! }));
    await signIn('bob');
    const refused = await page.goto(`${sample.url}/web/admin/coverage`);
    expect(refused?.status()).toBe(403);
    await signIn('alice');
    await page.click('text=MFA coverage');
    await page.waitForURL(/\/web\/admin\/coverage$/);
    for (const factor of ['EMAIL', 'SMS', 'TOTP', 'FACE'] as const) {
      const bar = page.locator(`#chart .bar[data-factor="${factor}"]`);
      const bound = bindings.filter((user) => user[factor]).length;
      expect(await bar.getAttribute('data-bound')).toBe(String(bound));
      expect(await bar.getAttribute('data-not-bound')).toBe(String(users.length - bound));
      const [, boundBar] = await bar.locator('rect').all();
      expect(Number(await boundBar!.getAttribute('width'))).toBe(Math.round((bound / users.length) * 320));
    }
    const listed = await page.locator('#missing tbody tr td:first-child').allTextContents();
    expect(listed).toEqual(bindings.filter((user) => !user.TOTP).map((user) => user.userId));
    await page.screenshot({ path: join(OUT, '6-coverage.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe('mfa-coverage.csv');
    const csv = readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\r\n');
    expect(csv[0]).toMatch(/^userId,username,email,phone,EMAIL,SMS,TOTP,FACE,/);
    expect(csv.slice(1).map((line) => line.split(',')[0])).toEqual(users);
    const alice = csv.find((line) => line.startsWith('alice,'))!.split(',');
    expect(alice[6]).toBe('true');
  });

  it('shows a report-only page to a user who lacks its factor', async () => {
    await signIn('bob');
    await page.goto(`${sample.url}/web/preview`);
    expect(await page.textContent('h1')).toBe('Preview');
  });
});
