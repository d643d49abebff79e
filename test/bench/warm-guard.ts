/**
 * Measurement 7: the guard's own work on a warm hit, in-process: `canActivate` called directly on a cached
 * user, against a do-nothing guard's `canActivate` measured in the same loop (rounds alternate the two), so
 * that the figure is a difference and a ratio of times taken seconds apart. Then the heap allocated per
 * warm hit (run with --expose-gc). No HTTP, so far less noise than rows 1 and 2. Prints one JSON line.
 */
import 'reflect-metadata';
import { Controller, type CanActivate } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Test } from '@nestjs/testing';
import { MfaModule, RequireMfaBound } from 'nestjs-genauth-mfa';
import { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { spread } from './stats.js';

const CALLS = 1_000_000;
const ROUNDS = 11;
const USER = '5f3c2a9e8b7d6c5a4f3e2d1c';

@Controller('warm')
class WarmController {
  handle(): number {
    return 1;
  }
}

/** What any second guard costs at least: a class whose `canActivate` reads the request and says yes. */
class DoNothingGuard implements CanActivate {
  canActivate(context: ExecutionContextHost): boolean {
    return context.switchToHttp().getRequest<{ user?: unknown }>().user !== null;
  }
}

/**
 * The do-nothing guard plus one clock read: the least any guard with a cache TTL does per request. A clock
 * read (Date.now(), performance.now()) costs about 50 ns on this VM (kvm-clock), as much as all the rest.
 */
class ClockReadingGuard implements CanActivate {
  canActivate(context: ExecutionContextHost): boolean {
    return context.switchToHttp().getRequest<{ user?: unknown }>().user !== null && Date.now() > 0;
  }
}

const emulator = new GenAuthEmulator({ seed: { users: [{ userId: USER, mfa: { TOTP: true } }] } });
const host = await emulator.start();
const Guard = RequireMfaBound('TOTP');
const moduleRef = await Test.createTestingModule({
  imports: [MfaModule.forRoot({ host, ...emulator.credentials[0]! })],
  providers: [Guard],
}).compile();
const guard = moduleRef.get(Guard);
const noop = new DoNothingGuard();
const clock = new ClockReadingGuard();
const contextFor = (request: object) => {
  const host = new ExecutionContextHost(
    [request, {}, () => undefined],
    WarmController,
    // eslint-disable-next-line @typescript-eslint/unbound-method -- a handler reference, as Nest passes it
    WarmController.prototype.handle,
  );
  host.setType('http');
  return host;
};
// The first request fills the cache; the measured one is another request object, so that the answer
// comes from the cache (as for every later request of that user), not from the first request's memo.
if ((await guard.canActivate(contextFor({ user: { id: USER }, headers: {} }))) !== true) {
  throw new Error('the warm user was not allowed');
}
const context = contextFor({ user: { id: USER }, headers: {} });

/** ns per call of `check` over CALLS calls; every call must answer `true` at once (a promise would not). */
function timed(check: (c: ExecutionContextHost) => unknown): number {
  let allowed = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) if (check(context) === true) allowed += 1;
  const ns = Number(process.hrtime.bigint() - started) / CALLS;
  if (allowed !== CALLS) throw new Error(`${CALLS - allowed} calls did not answer true at once`);
  return ns;
}
const ours = (c: ExecutionContextHost) => guard.canActivate(c);
const theirs = (c: ExecutionContextHost) => noop.canActivate(c);
const clocked = (c: ExecutionContextHost) => clock.canActivate(c);
timed(ours);
timed(theirs);
timed(clocked);
const guardNs: number[] = [];
const noopNs: number[] = [];
const clockNs: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // A B C C B A: none always runs first.
  const order = [() => noopNs.push(timed(theirs)), () => clockNs.push(timed(clocked)), () => guardNs.push(timed(ours))];
  for (const run of round % 2 === 0 ? order : [...order].reverse()) run();
}
const own = spread(guardNs.map((ns, i) => ns - noopNs[i]!));
const beyondClock = spread(guardNs.map((ns, i) => ns - clockNs[i]!));

// Bytes allocated per warm hit: the heap before and after 100,000 calls, with no collection between.
const gc = (globalThis as { gc?: () => void }).gc;
let bytesPerCall = Number.NaN;
if (gc) {
  const calls = 100_000;
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < calls; i++) void guard.canActivate(context);
  bytesPerCall = Math.max(0, (process.memoryUsage().heapUsed - before) / calls);
}
const upstreamCalls = emulator.requestCount('get-user-mfa-info');
await moduleRef.close();
await emulator.stop();
console.log(
  JSON.stringify({
    guard: spread(guardNs),
    noop: spread(noopNs),
    clock: spread(clockNs),
    own,
    beyondClock,
    nsPerCall: Math.min(...guardNs),
    bytesPerCall,
    calls: CALLS,
    rounds: ROUNDS,
    upstreamCalls,
  }),
);
