import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MfaBindingResolver } from 'nestjs-genauth-mfa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSample, type RunningSample } from '../../sample-app/src/sample-runner.js';
import { EXPORT_ENFORCED_FROM } from '../../sample-app/src/web/web.controller.js';

const ENV = { PORT: '0', JWT_SECRET: 'test-secret-of-the-sample-app' };

describe('sample app, end to end through HTTP on the embedded emulator', () => {
  let sample: RunningSample;
  const tokens: Record<string, string> = {};

  async function call(method: string, path: string, user?: string, body?: unknown) {
    const headers: Record<string, string> = {};
    if (user) headers['authorization'] = `Bearer ${tokens[user]}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${sample.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    sample = await startSample(ENV);
    for (const user of ['alice', 'bob', 'carol', 'dave']) {
      const { status, body } = await call('POST', '/auth/demo-token', undefined, { userId: user });
      expect(status).toBe(201);
      tokens[user] = body['accessToken'] as string;
    }
  });

  afterAll(() => sample.stop());

  it('runs on the emulator by default', () => {
    expect(sample.config.mode).toBe('emulator');
    expect(sample.emulator).toBeDefined();
  });

  it('issues tokens only for demo users, and validates the body', async () => {
    expect((await call('POST', '/auth/demo-token', undefined, { userId: 'mallory' })).status).toBe(403);
    const bad = await call('POST', '/auth/demo-token', undefined, { user: 'bob' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body['message'])).toContain('user');
  });

  // Expected status per route and user: alice TOTP, bob SMS+EMAIL, carol FACE, dave nothing.
  const table: Array<[string, Record<string, number>]> = [
    ['/', { alice: 200, bob: 200, carol: 200, dave: 200 }],
    ['/vault/totp', { alice: 200, bob: 403, carol: 403, dave: 403 }],
    ['/vault/any-of', { alice: 403, bob: 200, carol: 200, dave: 403 }],
    ['/vault/all-of', { alice: 403, bob: 200, carol: 403, dave: 403 }],
    ['/reports/summary', { alice: 403, bob: 200, carol: 403, dave: 403 }],
    ['/reports/audit', { alice: 200, bob: 403, carol: 200, dave: 403 }],
    ['/reports/status', { alice: 200, bob: 200, carol: 200, dave: 200 }],
  ];

  it.each(table)('%s answers each demo user as its policy says', async (path, expected) => {
    for (const [user, status] of Object.entries(expected)) {
      const answer = await call('GET', path, user);
      expect({ user, status: answer.status }).toEqual({ user, status });
      if (status === 403) expect(answer.body['code']).toBe('MFA_NOT_BOUND');
    }
  });

  it('answers 401 on guarded routes without a token', async () => {
    for (const path of ['/me', '/vault/totp', '/reports/status']) expect((await call('GET', path)).status).toBe(401);
  });

  it('/me shows the bindings through MfaManagementService', async () => {
    expect((await call('GET', '/me', 'bob')).body).toEqual({
      userId: 'bob',
      roles: [],
      mfa: { bound: { EMAIL: true, SMS: true, TOTP: false, FACE: false }, boundFactors: ['EMAIL', 'SMS'] },
    });
  });

  it('denies the admin route to non-admins and to bad bodies, naming the field', async () => {
    expect((await call('PUT', '/admin/users/dave/mfa-status', 'bob', { faceMfaEnabled: true })).status).toBe(403);
    const bad = await call('PUT', '/admin/users/dave/mfa-status', 'alice', { faceMfaEnabled: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body['message']).toEqual(['faceMfaEnabled must be a boolean value']);
    const phone = await call('PUT', '/admin/users/dave/mfa-status', 'alice', { mfaPhone: '12' });
    expect(phone.status).toBe(400);
    expect(JSON.stringify(phone.body['message'])).toContain('mfaPhone');
    const extra = await call('PUT', '/admin/users/dave/mfa-status', 'alice', { pin: '1234' });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(extra.body['message'])).toContain('pin');
    expect((await call('PUT', '/admin/users/nobody/mfa-status', 'alice', { faceMfaEnabled: true })).status).toBe(404);
  });

  it('an admin change takes effect on the guard at once, and can be undone', async () => {
    expect((await call('GET', '/vault/any-of', 'dave')).status).toBe(403);
    const changed = await call('PUT', '/admin/users/dave/mfa-status', 'alice', { faceMfaEnabled: true });
    expect(changed).toEqual({ status: 200, body: { userId: 'dave', boundFactors: ['FACE'] } });
    expect((await call('GET', '/vault/any-of', 'dave')).status).toBe(200);
    await call('PUT', '/admin/users/dave/mfa-status', 'alice', { faceMfaEnabled: false });
    expect((await call('GET', '/vault/any-of', 'dave')).status).toBe(403);
  });

  it('hears of a change made in GenAuth itself through its webhook, and denies at once', async () => {
    expect((await call('GET', '/vault/totp', 'alice')).status).toBe(200);
    sample.emulator!.setBindings('alice', { TOTP: false }); // as in GenAuth's console, not through the app
    await sample.emulator!.webhooksSettled();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sample.emulator!.webhookDeliveries().at(-1)).toMatchObject({ eventName: 'user:updated', status: 200 });
    expect((await call('GET', '/vault/totp', 'alice')).status).toBe(403);
    sample.emulator!.setBindings('alice', { TOTP: true });
    await sample.emulator!.webhooksSettled();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await call('GET', '/vault/totp', 'alice')).status).toBe(200);
  });

  it('answers 503 MFA_UNAVAILABLE when GenAuth fails', async () => {
    // carol's binding is cached by now: drop it so that the guard has to ask GenAuth.
    await sample.app.get(MfaBindingResolver).invalidate({ userId: 'carol' });
    sample.emulator!.setFault('get-user-mfa-info', { httpStatus: 500 });
    try {
      const answer = await call('GET', '/vault/totp', 'carol');
      expect(answer.status).toBe(503);
      expect(answer.body['code']).toBe('MFA_UNAVAILABLE');
      expect((await call('GET', '/me', 'carol')).status).toBe(503);
    } finally {
      sample.emulator!.clearFaults();
    }
  });

  async function page(path: string, user: string, accept = 'text/html') {
    const response = await fetch(`${sample.url}${path}`, {
      headers: { authorization: `Bearer ${tokens[user]}`, accept },
      redirect: 'manual',
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }

  it('sends a browser without TOTP to its enrollment page, and API calls get the 403 naming it', async () => {
    const browser = await page('/web/reports', 'dave');
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe('/web/mfa/enroll?returnTo=%2Fweb%2Freports%3Fmfa_return%3D1');
    const api = await page('/web/reports', 'dave', 'application/json');
    expect(api.status).toBe(403);
    expect(JSON.parse(api.text)).toMatchObject({ code: 'MFA_NOT_BOUND', enrollmentUrl: '/web/mfa/enroll' });
    expect((await page('/web/reports', 'alice')).status).toBe(200);
  });

  it('documents the MFA answers of guarded routes at /docs, and not of @SkipMfa ones', async () => {
    const response = await fetch(`${sample.url}/docs-json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { paths: Record<string, Record<string, { responses: object }>> };
    const responses = (path: string, method = 'get') => Object.keys(document.paths[path]?.[method]?.responses ?? {});
    expect(responses('/vault/totp')).toEqual(expect.arrayContaining(['401', '403', '503']));
    expect(responses('/admin/users/{userId}/mfa-status', 'put')).toEqual(expect.arrayContaining(['403', '503']));
    expect(responses('/reports/status')).not.toContain('403');
    expect((await fetch(`${sample.url}/docs`)).status).toBe(200);
  });

  it('reports GenAuth reachable at /health', async () => {
    const response = await fetch(`${sample.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', info: { genauth: { status: 'up', reachable: true } } });
  });

  it('shows the report-only page to a user without FACE, and the grace-period page with its deadline', async () => {
    const preview = await page('/web/preview', 'dave');
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Report-only');
    const exported = await page('/web/export', 'dave');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('mfa-enforce-from')).toBe(EXPORT_ENFORCED_FROM.toISOString());
    expect((await page('/web/export', 'alice')).headers.get('mfa-enforce-from')).toBeNull();
  });
});

describe('npm start entry point', () => {
  const main = join(import.meta.dirname, '..', '..', 'sample-app', 'dist', 'main.js');

  it('starts, prints the URL and curl commands, answers a request and stops cleanly on SIGINT', async () => {
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, ...ENV, GENAUTH_ACCESS_KEY_ID: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines: string[] = [];
      for await (const line of createInterface({ input: child.stdout })) {
        lines.push(line);
        if (line.startsWith('Ctrl-C')) break;
      }
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(lines[0]!)?.[1];
      expect(url).toBeDefined();
      expect(lines.join('\n')).toContain('embedded GenAuth emulator');
      expect(lines.some((l) => l.includes('curl') && l.includes('/vault/totp'))).toBe(true);
      expect((await fetch(`${url}/`)).status).toBe(200);
      // The banner's steps, in order, as a person pastes them: each says the status it gets.
      const checked = await runBannerCommands(lines);
      expect(checked).toBeGreaterThanOrEqual(12);
      // ...and they leave dave without TOTP, so that the browser walk-through it describes shows enrollment.
      const dave = lines
        .find((l) => l.includes('export DAVE='))!
        .split('=')[1]!
        .split(' ')[0]!;
      expect((await fetch(`${url}/vault/totp`, { headers: { authorization: `Bearer ${dave}` } })).status).toBe(403);
      expect(lines.join('\n')).toContain('Sign in as dave');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
  });

  it('stops with one line naming the bad variable', async () => {
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, ...ENV, GENAUTH_ACCESS_KEY_ID: 'only-the-id', GENAUTH_ACCESS_KEY_SECRET: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('GENAUTH_ACCESS_KEY_SECRET');
  });
});

/**
 * Runs the `curl` lines of the start-up banner with fetch, in order, with the tokens its `export` lines
 * give; where a line's comment starts with a status (`# 403 ...`, `# now 200 ...`), checks it. Returns
 * how many statuses were checked.
 */
async function runBannerCommands(lines: string[]): Promise<number> {
  const tokens = new Map<string, string>();
  for (const line of lines) {
    const exported = /export (\w+)=(\S+)/.exec(line);
    if (exported) tokens.set(exported[1]!, exported[2]!);
  }
  let checked = 0;
  for (const line of lines.filter((l) => l.trim().startsWith('curl '))) {
    const [command, comment = ''] = line.split('   # ');
    const url = /(http:\/\/\S+)/.exec(command!)![1]!;
    const bearer = /authorization: Bearer \$(\w+)/.exec(command!)?.[1];
    const method = /-X (\w+)/.exec(command!)?.[1] ?? (command!.includes(' -d ') ? 'POST' : 'GET');
    const body = /-d '([^']*)'/.exec(command!)?.[1];
    const response = await fetch(url, {
      method,
      headers: {
        ...(bearer ? { authorization: `Bearer ${tokens.get(bearer)}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body,
    });
    const expected = /^(?:now )?(\d{3})/.exec(comment.trim())?.[1];
    if (expected) {
      expect(`${response.status} ${command}`).toBe(`${expected} ${command}`);
      checked += 1;
    }
  }
  return checked;
}
