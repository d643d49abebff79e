/**
 * The audit's side of the audit bench (audit-bench.ts forks it with --expose-gc): runs MfaAuditService over
 * the emulated pool, checks every user came once, and samples the retained heap every second. Prints JSON.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { MfaAuditService, MfaModule } from 'nestjs-genauth-mfa';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const users = Number(process.env['AUDIT_USERS']);
const retained = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

const app = await NestFactory.createApplicationContext(
  MfaModule.forRoot({
    host: process.env['AUDIT_HOST']!,
    accessKeyId: process.env['AUDIT_KEY_ID']!,
    accessKeySecret: process.env['AUDIT_KEY_SECRET']!,
  }),
  { logger: false },
);
const audit = app.get(MfaAuditService);
const baseline = retained();
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, retained())), 1000);
// One bit per expected user: "every user once" without a set that would itself grow with the pool.
const seen = new Uint8Array(users);
let rows = 0;
let twice = 0;
let failed = 0;
const started = Date.now();
for await (const row of audit.run({ concurrency: Number(process.env['AUDIT_CONCURRENCY']) })) {
  rows += 1;
  if (row.status !== 'ok') failed += 1;
  const index = Number(row.userId!.slice(1));
  if (seen[index]) twice += 1;
  seen[index] = 1;
}
const wallMs = Date.now() - started;
clearInterval(sampler);
peak = Math.max(peak, retained());
await app.close();
console.log(
  JSON.stringify({
    users,
    rows,
    twice,
    missed: seen.filter((bit) => !bit).length,
    failed,
    wallMs,
    heapGrowthMb: (peak - baseline) / 1024 / 1024,
  }),
);
