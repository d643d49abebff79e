import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { DEMO_SEED, GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { sendRaw } from '../support/raw-request.js';

const CLI = join(import.meta.dirname, '..', '..', 'lib', 'dist', 'testing', 'cli.js');
const ODD_TARGETS = ['//', '//evil.example/x', '/api/v3/get-user-mfa-info?%', '/%E0%A4%A', '/..%2f..%2fetc', '*'];

/** POSTs `size` bytes and resolves to the status, or to the error code when the connection fails. */
function postBytes(url: string, size: number): Promise<number | string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const req = request({
      hostname,
      port,
      method: 'POST',
      path: '/api/v3/set-mfa-status',
      headers: { 'content-length': size },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const write = () => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

describe('the emulator under odd requests', () => {
  it('answers every odd request target with an HTTP status and keeps serving', async () => {
    const emulator = new GenAuthEmulator({ seed: DEMO_SEED });
    const url = await emulator.start();
    try {
      for (const target of ODD_TARGETS) {
        const { status } = await sendRaw(url, 'GET', target, []);
        // API errors are HTTP 200 with the code in the body, as GenAuth does; others a 4xx.
        expect(status, target).toBeGreaterThanOrEqual(200);
        expect(status, target).toBeLessThan(500);
      }
      const after = await sendRaw(url, 'GET', '/api/v3/get-user-mfa-info?userId=alice', []);
      expect(JSON.parse(after.body)).toHaveProperty('apiCode');
    } finally {
      await emulator.stop();
    }
  });

  it('answers a 20 MB POST with 413, not a reset', async () => {
    const emulator = new GenAuthEmulator();
    const url = await emulator.start();
    try {
      expect(await postBytes(url, 20 * 1024 * 1024)).toBe(413);
      expect(JSON.parse((await sendRaw(url, 'GET', '/api/v3/get-user-mfa-info', [])).body)).toHaveProperty('apiCode');
    } finally {
      await emulator.stop();
    }
  });

  it('does not exit on them as a command', async () => {
    const child = spawn(process.execPath, [CLI, '--demo'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let url = '';
      for await (const line of createInterface({ input: child.stdout })) {
        if (line.startsWith('GENAUTH_HOST=')) {
          url = line.slice('GENAUTH_HOST='.length);
          break;
        }
      }
      for (const target of ODD_TARGETS) expect((await sendRaw(url, 'GET', target, [])).status).toBeLessThan(500);
      expect(child.exitCode).toBeNull();
      expect(JSON.parse((await sendRaw(url, 'GET', '/api/v3/get-user-mfa-info', [])).body)).toHaveProperty('apiCode');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
