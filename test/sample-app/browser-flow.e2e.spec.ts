import 'reflect-metadata';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await sample?.stop();
  });

  it('opens the protected page, lands on enrollment, enrolls, and is back on the page with its content', async () => {
    expect(sample.emulator!.getBindings('dave')?.TOTP).toBe(false);

    // Signed out, the report sends the browser to sign in (not to a JSON 401), and back after it.
    await page.goto(`${sample.url}/web/reports`);
    expect(new URL(page.url()).pathname).toBe('/web');
    expect(new URL(page.url()).searchParams.get('returnTo')).toBe('/web/reports');
    expect(await page.textContent('.session')).toContain('Not signed in');
    await page.screenshot({ path: join(OUT, '1-start.png') });

    await page.click('text=Sign in as dave');
    await page.waitForURL(/\/web\/mfa\/enroll\?/);
    expect(await page.textContent('#signed-in')).toBe('dave');
    const enrollment = new URL(page.url());
    expect(enrollment.searchParams.get('returnTo')).toBe('/web/reports?mfa_return=1');
    expect(await page.textContent('h1')).toBe('Set up two-factor authentication');
    await page.screenshot({ path: join(OUT, '2-enrollment.png') });

    await page.click('#enroll');
    await page.waitForURL(/\/web\/reports\?mfa_return=1$/);
    expect(await page.textContent('#content')).toContain('Revenue grew 12%');
    await page.screenshot({ path: join(OUT, '3-back-on-the-page.png') });

    expect(sample.emulator!.getBindings('dave')?.TOTP).toBe(true);
    for (const step of ['1-start', '2-enrollment', '3-back-on-the-page']) {
      expect(existsSync(join(OUT, `${step}.png`))).toBe(true);
    }
  });

  it('goes straight to the page for a user who has TOTP', async () => {
    await page.goto(`${sample.url}/web/sign-in?user=alice&returnTo=/web/reports`);
    expect(new URL(page.url()).pathname).toBe('/web/reports');
    expect(await page.textContent('#content')).toContain('Shown to alice');
  });

  it('signs out, and the pages say so', async () => {
    await page.goto(`${sample.url}/web/sign-in?user=carol&returnTo=/web/export`);
    expect(await page.textContent('#signed-in')).toBe('carol');
    await page.click('text=Sign out');
    expect(new URL(page.url()).pathname).toBe('/web');
    expect(await page.textContent('.session')).toContain('Not signed in');
  });

  it('shows a report-only page to a user who lacks its factor', async () => {
    await page.goto(`${sample.url}/web/sign-in?user=bob&returnTo=/web/preview`);
    expect(new URL(page.url()).pathname).toBe('/web/preview');
    expect(await page.textContent('h1')).toBe('Preview');
  });
});
