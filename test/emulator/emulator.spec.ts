import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { EmulatorSeedError, GenAuthEmulator, parseEmulatorSeed } from 'nestjs-genauth-mfa/testing';

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
      const lines = createInterface({ input: child.stdout! });
      const printed: string[] = [];
      for await (const line of lines) {
        printed.push(line);
        if (printed.length === 2) break;
      }
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(printed[0]!)?.[1];
      expect(url).toBeDefined();
      expect(printed[1]).toBe('accessKeyId=cli-ak accessKeySecret=cli-sk');
      const { ManagementClient } = await import('authing-node-sdk');
      const client = new ManagementClient({ accessKeyId: 'cli-ak', accessKeySecret: 'cli-sk', host: url! });
      expect((await client.getUserMfaInfo({ userId: 'cli-user' })).data.faceMfaStatus).toBe(true);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      process.kill(child.pid!, 'SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('exits non-zero with the field named on a bad seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-'));
    const seedFile = join(dir, 'seed.json');
    writeFileSync(seedFile, JSON.stringify({ users: [{ userId: 7 }] }));
    const child = spawn(process.execPath, [CLI, '--seed', seedFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('users[0].userId');
  });
});
