/**
 * Rows 11 and 12: the coverage audit over 10,000 emulated users with 20 ms of upstream latency and
 * concurrency 8 (wall time against the ideal 10,000 x 20 ms / 8, the most calls at once as the emulator
 * counts them, the audit's retained heap beside a 2,000-user run), then with 5% of lookups answered 429.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';

const here = dirname(fileURLToPath(import.meta.url));
const LATENCY_MS = 20;
const CONCURRENCY = 8;

interface ClientResult {
  users: number;
  rows: number;
  twice: number;
  missed: number;
  failed: number;
  wallMs: number;
  heapGrowthMb: number;
}

async function auditOnce(users: number, rateLimitedShare = 0) {
  const emulator = new GenAuthEmulator();
  const host = await emulator.start();
  try {
    for (let i = 0; i < users; i++) emulator.addUser({ userId: `u${i}`, mfa: { TOTP: i % 2 === 0 } });
    emulator.setLatency(LATENCY_MS);
    if (rateLimitedShare > 0) {
      emulator.setFault('get-user-mfa-info', { rateLimitRetryAfterSeconds: 0, probability: rateLimitedShare });
    }
    const [keys] = emulator.credentials;
    // Spawned, not run synchronously: the emulator answers from this process's event loop.
    const child = spawn(process.execPath, ['--expose-gc', join(here, 'audit-client.js')], {
      env: {
        ...process.env,
        AUDIT_HOST: host,
        AUDIT_KEY_ID: keys!.accessKeyId,
        AUDIT_KEY_SECRET: keys!.accessKeySecret,
        AUDIT_USERS: String(users),
        AUDIT_CONCURRENCY: String(CONCURRENCY),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`audit client exited with ${code}`);
    const result = JSON.parse(out) as ClientResult;
    return {
      ...result,
      peakConcurrent: emulator.concurrency().peak,
      lookups: emulator.requestCount('get-user-mfa-info'),
    };
  } finally {
    await emulator.stop();
  }
}

export async function auditBench() {
  const large = await auditOnce(10_000);
  const small = await auditOnce(2_000);
  const limited = await auditOnce(2_000, 0.05);
  const idealMs = (large.users * LATENCY_MS) / CONCURRENCY;
  const efficiency = idealMs / large.wallMs;
  const everyUserOnce = (r: ClientResult) => r.rows === r.users && r.twice === 0 && r.missed === 0 && r.failed === 0;
  return {
    large,
    small,
    limited,
    idealMs,
    efficiency,
    met: efficiency >= 0.8 && large.peakConcurrent <= CONCURRENCY && everyUserOnce(large),
    heapMet: large.heapGrowthMb <= 20 && small.heapGrowthMb <= 20,
    limitedMet: everyUserOnce(limited) && limited.lookups > limited.users,
  };
}
