import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';

/** The command as npm links it (the built package's bin). */
const BIN = fileURLToPath(new URL('../../lib/bin/genauth-mfa.js', import.meta.url));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A minimal RFC 4180 reader: the test's own, so that the command's quoting is checked from outside. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(cell);
      cell = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  expect(cell === '' && row.length === 0, 'the file ends with a whole line').toBe(true);
  return rows;
}

describe('genauth-mfa audit, as a child process', () => {
  let emulator: GenAuthEmulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    emulator = new GenAuthEmulator();
    const host = await emulator.start();
    dir = mkdtempSync(join(tmpdir(), 'genauth-mfa-audit-'));
    const [keys] = emulator.credentials;
    env = {
      PATH: process.env['PATH'],
      GENAUTH_HOST: host,
      GENAUTH_ACCESS_KEY_ID: keys!.accessKeyId,
      GENAUTH_ACCESS_KEY_SECRET: keys!.accessKeySecret,
    };
    for (let i = 0; i < 120; i++) {
      emulator.addUser({
        userId: `user-${String(i).padStart(3, '0')}`,
        username: i === 7 ? '=HYPERLINK("http://x")' : `name, "${i}"`,
        phone: i % 2 ? `+8613800000${String(i).padStart(3, '0')}` : undefined,
        mfa: { TOTP: i % 4 === 0 },
      });
    }
  });

  afterEach(async () => {
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function audit(args: string[], options: { tty?: boolean; onStderr?: (text: string, pid: number) => void } = {}) {
    const command = [process.execPath, BIN, 'audit', ...args];
    // `script` gives the command a terminal (util-linux, on every Debian).
    const [file, argv] = options.tty
      ? ['script', ['-qec', command.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' '), '/dev/null']]
      : [command[0]!, command.slice(1)];
    const child = spawn(file, argv, { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const result: Finished = { code: null, stdout: '', stderr: '' };
    child.stdout.on('data', (d: Buffer) => (result.stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      result.stderr += d.toString();
      options.onStderr?.(result.stderr, child.pid!);
    });
    return new Promise<Finished>((resolve) => child.on('close', (code) => resolve({ ...result, code })));
  }

  it('writes an RFC 4180 CSV with the user id first, escapes formulas, prints plain progress and a summary', async () => {
    const out = join(dir, 'audit.csv');
    const run = await audit(['--out', out, '--concurrency', '4']);
    expect(run.code).toBe(0);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows[0]!.slice(0, 8)).toEqual(['userId', 'username', 'email', 'phone', 'EMAIL', 'SMS', 'TOTP', 'FACE']);
    expect(rows.length).toBe(121);
    expect(rows.slice(1).every((row) => row.length === rows[0]!.length)).toBe(true);
    const user7 = rows.find((row) => row[0] === 'user-007')!;
    expect(user7[1]).toBe(`'=HYPERLINK("http://x")`);
    expect(user7[3]).toBe(`'+8613800000007`);
    expect(rows.find((row) => row[0] === 'user-003')![1]).toBe('name, "3"');
    expect(rows.find((row) => row[0] === 'user-004')![6]).toBe('true');
    expect(run.stderr).toMatch(/^progress: 100% 120\/120 users/m);
    expect(run.stderr).not.toContain('\r');
    expect(run.stderr).toMatch(
      /summary: 120 users; bound: EMAIL 0, SMS 0, TOTP 30, FACE 0; 90 with no factor; 0 deleted/,
    );
    expect(run.stderr + run.stdout).not.toContain(env['GENAUTH_ACCESS_KEY_SECRET']);
  });

  it('draws a progress bar on a terminal, and writes JSON lines of the users missing a factor', async () => {
    const out = join(dir, 'missing.jsonl');
    const run = await audit(['--missing', 'totp', '--format', 'jsonl', '--out', out], { tty: true });
    expect(run.code).toBe(0);
    const terminal = run.stdout + run.stderr;
    expect(terminal).toMatch(/\r\[#+-*\] \d+% /);
    expect(terminal).toMatch(/90 without TOTP/);
    const rows = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { bound: { TOTP: boolean } });
    expect(rows.length).toBe(90);
    expect(rows.every((row) => row.bound.TOTP === false)).toBe(true);
  });

  it("exits 2 with GenAuth's message for wrong credentials, before creating the output", async () => {
    env['GENAUTH_ACCESS_KEY_SECRET'] = 'not-the-secret';
    const out = join(dir, 'never.csv');
    const run = await audit(['--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/GenAuth refused the credentials: .*apiCode 130\d/);
    expect(run.stderr).not.toContain('not-the-secret');
    expect(existsSync(out)).toBe(false);
  });

  it.each([
    [['--concurrency', '0'], /--concurrency must be a whole number from 1 to 64/],
    [['--missing', 'PIN'], /--missing: unknown factor "PIN"/],
    [['--format', 'xml'], /--format must be csv or jsonl/],
    [['--out', '/nonexistent-dir/x.csv'], /--out: cannot write \/nonexistent-dir\/x.csv/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('exits 2 on %j, naming the flag', async (args, message) => {
    const run = await audit(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(emulator.requestCount()).toBe(0);
  });

  it('exits 1 when some users could not be audited, with their rows saying why', async () => {
    emulator.setFault('get-user-mfa-info', { malformed: 'wrong-shape', times: 2 });
    const run = await audit(['--concurrency', '1', '--quiet']);
    expect(run.code).toBe(1);
    const failed = parseCsv(run.stdout).filter((row) => row[9] === 'failed');
    expect(failed.map((row) => row[0])).toEqual(['user-000', 'user-001']);
    expect(failed[0]![10]).toMatch(/invalid response/i);
    expect(run.stderr).toMatch(/2 errors/);
  });

  it('on Ctrl-C writes a valid partial output and a resume file; --resume finishes it, no user twice', async () => {
    emulator.setLatency(15);
    const out = join(dir, 'audit.csv');
    let sent = false;
    const first = await audit(['--out', out, '--concurrency', '2', '--page-size', '10'], {
      onStderr: (text, pid) => {
        if (!sent && /progress: [3-9]0%/.test(text)) {
          sent = true;
          process.kill(pid, 'SIGINT');
        }
      },
    });
    expect(first.code).toBe(130);
    expect(first.stderr).toMatch(/continue with --resume .*audit\.csv\.resume\.json/);
    const partial = parseCsv(readFileSync(out, 'utf8'));
    expect((partial.length - 1) % 10).toBe(0);
    expect(partial.length - 1).toBeLessThan(120);
    const resumeFile = join(dir, 'audit.csv.resume.json');
    expect(JSON.parse(readFileSync(resumeFile, 'utf8'))).toMatchObject({ page: (partial.length - 1) / 10 + 1 });
    emulator.setLatency(0);
    const second = await audit(['--out', out, '--page-size', '10', '--resume', resumeFile, '--quiet']);
    expect(second.code).toBe(0);
    const all = parseCsv(readFileSync(out, 'utf8'));
    expect(all.filter((row) => row[0] === 'userId').length).toBe(1);
    const ids = all.slice(1).map((row) => row[0]);
    expect(ids.length).toBe(120);
    expect(new Set(ids).size).toBe(120);
    expect(existsSync(resumeFile)).toBe(false);
  });

  it('refuses a resume file that is not one', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"page":"x"}');
    const run = await audit(['--resume', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--resume: .*not a resume file/);
  });
});
