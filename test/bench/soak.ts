/**
 * `npm run soak`: 60 seconds (SOAK_SECONDS) at 100 connections over 10,000 users on each adapter, with
 * 20-second cache TTLs, so that cold lookups, warm hits and expiries all run during the soak. Passes when the handler
 * never runs for a user without TOTP, every answer is a 200 or a 403 (as many of each, give or take the
 * requests in flight, since users alternate), nothing errors or times out, and the server's heap after GC
 * ends within 10 MB of where it stood after the first third.
 */
import autocannon from 'autocannon';
import { startServer } from './bench-process.js';

const SECONDS = Number(process.env['SOAK_SECONDS'] ?? 60);
const USERS = 10_000;
const CONNECTIONS = 100;
const SAMPLES = 6;
const HEAP_GROWTH_LIMIT_MB = 10;

interface SoakResult {
  adapter: string;
  requests: number;
  ok: number;
  denied: number;
  wrong: number;
  wrongAllows: number;
  errors: number;
  timeouts: number;
  upstreamCalls: number;
  heapMb: number[];
  heapGrowthMb: number;
  passed: boolean;
}

async function soak(adapter: string): Promise<SoakResult> {
  const server = await startServer(adapter, ['--soak-users', String(USERS), '--ttl-ms', '20000'], ['--expose-gc']);
  try {
    const url = `${server.ready.appUrl!}/soak`;
    let next = 0;
    let ok = 0;
    let denied = 0;
    let wrong = 0;
    const heap: number[] = [];
    // One question to the server at a time: its answers carry no id, so they must not overlap.
    let asking = Promise.resolve();
    const sampleHeap = () =>
      (asking = asking.then(() =>
        server.ask({ type: 'heap' }).then((m) => void heap.push((m['heapUsed'] as number) / 1024 / 1024)),
      ));
    const sampler = setInterval(() => void sampleHeap(), (SECONDS * 1000) / SAMPLES);
    const instance = autocannon({
      url,
      connections: CONNECTIONS,
      duration: SECONDS,
      requests: [
        {
          // Each request carries the next user, so that every user comes back every 10,000 requests.
          setupRequest: (request) => {
            const user = next++ % USERS;
            return { ...request, headers: { 'x-user-id': `soak-${user}` } };
          },
        },
      ],
    });
    instance.on('response', (_client, statusCode) => {
      if (statusCode === 200) ok += 1;
      else if (statusCode === 403) denied += 1;
      else wrong += 1;
    });
    const result = await instance;
    clearInterval(sampler);
    await sampleHeap();
    const counts = await server.ask({ type: 'counts' });
    const upstreamCalls = counts['mfaInfo'] as number;
    const wrongAllows = counts['wrongAllows'] as number;
    const settled = heap[Math.floor(heap.length / 3)] ?? heap[0]!;
    const heapGrowthMb = heap.at(-1)! - settled;
    return {
      adapter,
      requests: result.requests.total,
      ok,
      denied,
      wrong,
      wrongAllows,
      errors: result.errors,
      timeouts: result.timeouts,
      upstreamCalls,
      heapMb: heap.map((mb) => Math.round(mb * 10) / 10),
      heapGrowthMb: Math.round(heapGrowthMb * 10) / 10,
      passed:
        wrong === 0 &&
        wrongAllows === 0 &&
        Math.abs(ok - denied) <= CONNECTIONS &&
        result.errors === 0 &&
        result.timeouts === 0 &&
        ok > 0 &&
        denied > 0 &&
        heapGrowthMb < HEAP_GROWTH_LIMIT_MB,
    };
  } finally {
    await server.stop();
  }
}

const results: SoakResult[] = [];
for (const adapter of ['express', 'fastify']) results.push(await soak(adapter));
for (const r of results) {
  console.log(
    `${r.passed ? 'PASS' : 'FAIL'} ${r.adapter}: ${r.requests} requests in ${SECONDS} s at ${CONNECTIONS} connections over ` +
      `${USERS} users; 200: ${r.ok}, 403: ${r.denied}, other: ${r.wrong}, handler runs without TOTP: ${r.wrongAllows}, errors: ${r.errors}, timeouts: ${r.timeouts}; ` +
      `GenAuth calls: ${r.upstreamCalls}; heap after GC (MB): ${r.heapMb.join(' ')}, growth after the first third ${r.heapGrowthMb} MB`,
  );
}
const failed = results.filter((r) => !r.passed).length;
console.log(`soak: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
