/**
 * Rows 1, 2 and 9: what the guard adds to a request's server CPU, against the unguarded route (A) and a
 * do-nothing guard (B), in short interleaved loads over three server processes. Also the plain load run the
 * other rows use.
 */
import autocannon from 'autocannon';
import { allCpus, canPin, pin } from './cpu-pinning.js';
import { startServer, type Server } from './bench-process.js';
import { spread } from './stats.js';

export const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 2);
export const CONNECTIONS = 50;
/** Rounds of six loads of SLOT_SECONDS each; a multiple of 3 puts each route in each place equally often. */
const HTTP_ROUNDS = Number(process.env['BENCH_HTTP_ROUNDS'] ?? 12);
/** Server processes the rounds are spread over. */
const SERVER_PROCESSES = Number(process.env['BENCH_HTTP_PROCESSES'] ?? 3);
const SLOT_SECONDS = Number(process.env['BENCH_SLOT_SECONDS'] ?? 1);
/**
 * What rows 1, 2 and 9 can resolve here. The guard's work in a loaded server is 1-2% of a request's CPU
 * (row 7b: about 0.5 µs on Fastify, 1.5 µs on Express), while Express's rounds still spread by about ±8%
 * and Fastify's by ±2-3%. These rows catch a gross regression (an upstream call or an allocation storm per
 * request: 10% and more); rows 7, 7b and 13 measure the guard's own work finely.
 */
export const HTTP_TARGET = 0.9;

export interface Load {
  rps: number;
  /** Requests completed. */
  total: number;
  /** Server CPU time per request, in microseconds (only when measured through {@link loadWithCpu}). */
  cpuMicros: number;
  p50: number;
  p99: number;
  non2xx: number;
}

/** `seconds` of load on `url` over CONNECTIONS connections, signed in as `user`. */
export async function load(url: string, user: string | undefined, seconds = SECONDS): Promise<Load> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: user ? { 'x-user-id': user } : {},
  });
  return {
    rps: result.requests.average,
    cpuMicros: Number.NaN,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
    total: result.requests.total,
  };
}

/** A load run that also reads the server's CPU time, which other work on the machine disturbs far less than requests per second. */
async function loadWithCpu(server: Server, url: string, user: string, seconds: number): Promise<Load> {
  const before = (await server.ask({ type: 'cpu' }))['micros'] as number;
  const result = await load(url, user, seconds);
  const after = (await server.ask({ type: 'cpu' }))['micros'] as number;
  return { ...result, cpuMicros: (after - before) / result.total };
}

type Route = 'plain' | 'noop-guarded' | 'guarded';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Round r's order of the unguarded route (A), the do-nothing guard (B) and ours (C): A B C C B A, then
 * B C A A C B, then C A B B A C. Each is a palindrome, so a steady drift of the machine cancels within a
 * round, and over three rounds each route takes each of the six places once.
 */
export function roundOrder(round: number): Route[] {
  const routes: Route[] = ['plain', 'noop-guarded', 'guarded'];
  const first = [0, 1, 2].map((i) => routes[(i + round) % 3]!);
  return [...first, ...[...first].reverse()];
}

/**
 * The server's V8 flags for these rows: a fixed young generation large enough that a load's garbage dies
 * young, so that each second pays its own scavenges and full collections (whose timing depends on earlier
 * loads' garbage) are rare.
 */
const SERVER_V8 = ['--max-semi-space-size=64', '--min-semi-space-size=64'];

/** A bench server for the HTTP rows, pinned to CPU 1 with this process on CPU 0 until `release`. */
export async function pinnedServer(adapter: string, flags: string[] = []) {
  const server = await startServer(adapter, flags, SERVER_V8);
  pin(server.pid, '1');
  pin(process.pid, '0');
  const release = async () => {
    pin(process.pid, allCpus);
    await server.stop();
  };
  return { server, release };
}

/** One server process's rounds: per round, the CPU per request of each route (mean of its two loads). */
async function roundsInOneProcess(
  adapter: string,
  flags: string[],
  rounds: { first: number; count: number },
  runs: Record<Route, Load[]>,
) {
  const { server, release } = await pinnedServer(adapter, flags);
  try {
    const base = server.ready.appUrl!;
    await fetch(`${base}/guarded`, { headers: { 'x-user-id': 'bench-user' } });
    for (const route of ['plain', 'guarded', 'noop-guarded']) await load(`${base}/${route}`, 'bench-user', 1);
    await server.ask({ type: 'reset' });
    const perRound: Record<Route, number>[] = [];
    for (let round = rounds.first; round < rounds.first + rounds.count; round++) {
      const cpu: Record<Route, number[]> = { plain: [], 'noop-guarded': [], guarded: [] };
      for (const route of roundOrder(round)) {
        const measured = await loadWithCpu(server, `${base}/${route}`, 'bench-user', SLOT_SECONDS);
        runs[route].push(measured);
        cpu[route].push(measured.cpuMicros);
      }
      perRound.push({ plain: mean(cpu.plain), 'noop-guarded': mean(cpu['noop-guarded']), guarded: mean(cpu.guarded) });
    }
    return { perRound, upstream: (await server.ask({ type: 'counts' }))['mfaInfo'] as number };
  } finally {
    await release();
  }
}

/**
 * Measurements 1, 2 and 9 on `adapter` (extra server flags in `flags`): HTTP_ROUNDS rounds over
 * SERVER_PROCESSES server processes one after the other (a process's JIT and heap layout favour one route
 * or another by a few percent; several processes average that out). Each server runs pinned to one core and
 * this process (the load generator) to the other; each round gives ratios of server CPU per request of
 * loads seconds apart; the verdict reads their medians, the spread is their IQR.
 */
export async function guardCost(adapter: string, flags: string[] = []) {
  const runs: Record<Route, Load[]> = { plain: [], 'noop-guarded': [], guarded: [] };
  const perRound = { unguarded: [] as number[], noop: [] as number[], noopVsUnguarded: [] as number[] };
  let upstream = 0;
  for (let p = 0; p < SERVER_PROCESSES; p++) {
    const first = Math.round((p * HTTP_ROUNDS) / SERVER_PROCESSES);
    const count = Math.round(((p + 1) * HTTP_ROUNDS) / SERVER_PROCESSES) - first;
    const one = await roundsInOneProcess(adapter, flags, { first, count }, runs);
    upstream += one.upstream;
    for (const round of one.perRound) {
      perRound.unguarded.push(round.plain / round.guarded);
      perRound.noop.push(round['noop-guarded'] / round.guarded);
      perRound.noopVsUnguarded.push(round.plain / round['noop-guarded']);
    }
  }
  const summary = (route: Route) => ({
    rps: mean(runs[route].map((l) => l.rps)),
    p50: median(runs[route].map((l) => l.p50)),
    p99: median(runs[route].map((l) => l.p99)),
  });
  const cpuOf = (route: Route) => median(runs[route].map((l) => l.cpuMicros));
  const versusUnguarded = spread(perRound.unguarded);
  const versusNoop = spread(perRound.noop);
  return {
    adapter,
    pinned: canPin,
    serverProcesses: SERVER_PROCESSES,
    unguarded: summary('plain'),
    noopGuard: summary('noop-guarded'),
    guarded: summary('guarded'),
    cpuMicrosPerRequest: { unguarded: cpuOf('plain'), noopGuard: cpuOf('noop-guarded'), guarded: cpuOf('guarded') },
    versusUnguarded,
    versusNoop,
    noopVersusUnguarded: spread(perRound.noopVsUnguarded),
    perRound,
    targets: { versusUnguarded: HTTP_TARGET, versusNoop: HTTP_TARGET },
    met: versusUnguarded.median >= HTTP_TARGET && versusNoop.median >= HTTP_TARGET,
    failedResponses: Object.values(runs)
      .flat()
      .reduce((n, l) => n + l.non2xx, 0),
    upstreamCallsUnderLoad: upstream,
  };
}

export type GuardCost = Awaited<ReturnType<typeof guardCost>>;
