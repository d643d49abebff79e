import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { DEMO_SEED, EmulatorSeedError, GenAuthEmulator, parseEmulatorSeed } from 'nestjs-genauth-mfa/testing';

const CLI = join(import.meta.dirname, '..', '..', 'lib', 'dist', 'testing', 'cli.js');

describe('emulator seed', () => {
  it.each([
    [{ users: {} }, 'users'],
    [{ users: [{ mfa: { TOTP: true } }] }, 'users[0].userId'],
    [{ users: [{ userId: 'a', mfa: { TOTP: 'yes' } }] }, 'users[0].mfa.TOTP'],
    [{ users: [{ userId: 'a', mfa: { PIN: true } }] }, 'users[0].mfa.PIN'],
    [{ users: [{ userId: 'a', identities: ['no-colon'] }] }, 'users[0].identities[0]'],
    [{ users: [{ userId: 'a' }, { userId: 'a' }] }, 'users[1].userId'],
    [{ applications: [{ appId: 'x', policies: ['SMS', 'PIN'] }] }, 'applications[0].policies[1]'],
    [{ credentials: [{ accessKeyId: 'k' }] }, 'credentials[0].accessKeySecret'],
    [{ user: [] }, 'seed.user'],
  ])('refuses %j naming %s', (seed, field) => {
    const error = (() => {
      try {
        parseEmulatorSeed(seed);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EmulatorSeedError);
    expect((error as EmulatorSeedError).field).toBe(field);
    expect(() => new GenAuthEmulator({ seed: seed as never })).toThrow(field);
  });

  it('keeps one state per user: bindings set by the API show in every read', () => {
    const emulator = new GenAuthEmulator({ seed: { users: [{ userId: 'a', phone: '+861', mfa: { SMS: true } }] } });
    expect(emulator.getBindings('a')).toEqual({ EMAIL: false, SMS: true, TOTP: false, FACE: false });
    emulator.setBindings('a', { SMS: false, TOTP: true, EMAIL: true });
    expect(emulator.getBindings('a')).toEqual({ EMAIL: true, SMS: false, TOTP: true, FACE: false });
  });
});

describe('genauth-emulator command', () => {
  it('prints its URL and credentials, serves the seed, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-'));
    const seedFile = join(dir, 'seed.json');
    writeFileSync(
      seedFile,
      JSON.stringify({
        users: [{ userId: 'cli-user', mfa: { FACE: true } }],
        credentials: [{ accessKeyId: 'cli-ak', accessKeySecret: 'cli-sk' }],
      }),
    );
    const child = spawn(process.execPath, [CLI, '--port', '0', '--seed', seedFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const printed: string[] = [];
      for await (const line of lines) {
        printed.push(line);
        if (printed.length === 5) break;
      }
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed[0]!)?.[1];
      expect(url).toBeDefined();
      expect(printed.slice(2)).toEqual([
        `GENAUTH_HOST=${url}`,
        'GENAUTH_ACCESS_KEY_ID=cli-ak',
        'GENAUTH_ACCESS_KEY_SECRET=cli-sk',
      ]);
      const { ManagementClient } = await import('authing-node-sdk');
      const client = new ManagementClient({ accessKeyId: 'cli-ak', accessKeySecret: 'cli-sk', host: url! });
      expect((await client.getUserMfaInfo({ userId: 'cli-user' })).data.faceMfaStatus).toBe(true);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      process.kill(child.pid!, 'SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it.each([
    ['a field that does not match', JSON.stringify({ users: [{ userId: 7 }] }), 'users[0].userId'],
    ['a JSON syntax error', '{ "users": [ }', 'is not valid JSON'],
  ])('exits 1 naming the file on %s', async (_case, content, detail) => {
    const seedFile = join(mkdtempSync(join(tmpdir(), 'emu-')), 'broken-seed.json');
    writeFileSync(seedFile, content);
    const { code, stdout, stderr } = await runCli(['--seed', seedFile]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`seed file ${seedFile}`);
    expect(stderr).toContain(detail);
  });

  it.each([
    [['--port', 'http']],
    [['--access-key-id', 'only-the-id']],
    [['--demo', '--seed', 'x.json']],
    [['--verbose']],
  ])('refuses %j with its usage and exit code 2', async (args) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain('usage: genauth-emulator');
  });

  it('serves the demo pool with --demo, under the key pair given by flags', async () => {
    const child = spawn(
      process.execPath,
      [CLI, '--demo', '--access-key-id', 'flag-ak', '--access-key-secret', 'flag-sk'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      // The whole block comes in one write, so its first chunk already names the application.
      const first = await new Promise<string>((resolve) =>
        child.stdout.once('data', (chunk: Buffer) => resolve(String(chunk))),
      );
      expect(first).toMatch(/^GenAuth emulator listening on [\s\S]*\nGENAUTH_APP_ID=\S+\n$/);
      const env: Record<string, string> = {};
      for (const line of first.split('\n')) {
        const [name, value] = line.split('=');
        if (name?.startsWith('GENAUTH_') && value) env[name] = value;
        if (name === 'GENAUTH_APP_ID') break;
      }
      expect(env['GENAUTH_ACCESS_KEY_ID']).toBe('flag-ak');
      expect(env['GENAUTH_ACCESS_KEY_SECRET']).toBe('flag-sk');
      expect(env['GENAUTH_APP_ID']).toBe(DEMO_SEED.applications![0]!.appId);
      const { ManagementClient } = await import('authing-node-sdk');
      const client = new ManagementClient({
        accessKeyId: 'flag-ak',
        accessKeySecret: 'flag-sk',
        host: env['GENAUTH_HOST'],
      });
      for (const user of DEMO_SEED.users!) {
        const { data } = await client.getUserMfaInfo({ userId: user.userId });
        expect(data.totpStatus).toBe(user.mfa?.TOTP === true);
        expect(data.faceMfaStatus).toBe(user.mfa?.FACE === true);
      }
    } finally {
      child.kill('SIGTERM');
    }
  });
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}
