/**
 * Measurement 13: our own CPU per cold lookup (a user not in the cache: the resolver, the service, signing,
 * the HTTP client, the checks), beyond the socket work any HTTP call pays. The emulator runs in another
 * process; this one alternates rounds of cold lookups with rounds of bare `node:http` GETs to the same server
 * (the floor), and reports the difference of CPU per call. Prints one JSON line.
 */
import 'reflect-metadata';
import { Agent, request } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { MfaBindingResolver, MfaModule } from 'nestjs-genauth-mfa';
import { startServer } from './bench-process.js';
import { spread } from './stats.js';

const CALLS = 800;
const ROUNDS = 7;
const CONCURRENCY = 8;

// Users soak-0 ... soak-14999 exist upstream; each is looked up once, so every lookup is cold.
const server = await startServer('none', ['--soak-users', '15000']);
const { emulatorUrl, accessKeyId, accessKeySecret } = server.ready;
const context = await NestFactory.createApplicationContext(
  MfaModule.forRoot({ host: emulatorUrl, accessKeyId, accessKeySecret, cache: { ttlMs: 600_000 } }),
  { logger: false },
);
const resolver = context.get(MfaBindingResolver);
const agent = new Agent({ keepAlive: true });
let next = 0;

/** CPU µs per call of `call`, CONCURRENCY at a time. */
async function cpuPerCall(call: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  let left = CALLS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) await call();
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / CALLS;
}

// boundMask is internal (the guard's call); the bench reads it from the built class.
const lookup = resolver as unknown as { boundMask(type: string, id: string): number | Promise<number> };
const cold = () => Promise.resolve(lookup.boundMask('user_id', `soak-${next++}`));
const bare = () =>
  new Promise<void>((resolve, reject) => {
    const req = request(`${emulatorUrl}/api/v3/get-user-mfa-info?userId=soak-${next++}`, { agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });

// Warm-up: the first thousands of calls run before the JIT has compiled the path.
for (let i = 0; i < 3; i++) {
  await cpuPerCall(cold);
  await cpuPerCall(bare);
}
const ours: number[] = [];
const floor: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  if (round % 2 === 0) {
    ours.push(await cpuPerCall(cold));
    floor.push(await cpuPerCall(bare));
  } else {
    floor.push(await cpuPerCall(bare));
    ours.push(await cpuPerCall(cold));
  }
}
agent.destroy();
await context.close();
await server.stop();
const own = spread(ours.map((us, i) => us - floor[i]!));
console.log(JSON.stringify({ ours: spread(ours), floor: spread(floor), own }));
