/**
 * A benchmark child process: the GenAuth emulator and (unless --adapter none) a Nest app with three
 * routes: unguarded, guarded by RequireMfaBound, and guarded by a naive guard that asks the official
 * SDK on every request. It prints its URLs as one JSON line and obeys IPC messages from run.ts.
 */
import 'reflect-metadata';
import {
  Controller,
  Get,
  Injectable,
  Module,
  Req,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ManagementClient } from 'authing-node-sdk';
import { Redis } from 'ioredis';
import { MfaGuard, MfaManagementService, MfaModule, RedisMfaBindingCache, RequireMfaBound } from 'nestjs-genauth-mfa';
import { GenAuthEmulator, type EmulatorSeedUser } from 'nestjs-genauth-mfa/testing';

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}
const adapter = flag('--adapter') ?? 'express';
// The soak (soak.ts) asks for 10,000 users, half of them with TOTP, and short TTLs that keep lookups going.
const soakUsers = Number(flag('--soak-users') ?? 0);
const ttlMs = Number(flag('--ttl-ms') ?? 600_000);
const users: EmulatorSeedUser[] = [{ userId: 'bench-user', mfa: { TOTP: true } }];
for (let i = 0; i < 1000; i++) users.push({ userId: `spread-${i}`, mfa: { TOTP: true } });
for (let i = 0; i < 20; i++) users.push({ userId: `storm-${i}`, mfa: { TOTP: true } });
for (let i = 0; i < soakUsers; i++) users.push({ userId: `soak-${i}`, mfa: { TOTP: i % 2 === 0 } });
// Replicas share one upstream (--upstream, with its key pair) and one Redis (--redis); alone, the process
// starts its own emulator and caches in memory.
const upstream = flag('--upstream');
const emulator = upstream ? undefined : new GenAuthEmulator({ seed: { users } });
const emulatorUrl = upstream ?? (await emulator!.start());
const credentials = emulator
  ? emulator.credentials[0]!
  : { accessKeyId: flag('--access-key-id')!, accessKeySecret: flag('--access-key-secret')! };
const redisUrl = flag('--redis');
const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 1 }) : undefined;
const store = redis ? new RedisMfaBindingCache({ client: redis, keyPrefix: flag('--redis-prefix') }) : undefined;
await store?.ready();
const sdk = new ManagementClient({ ...credentials, host: emulatorUrl });

function userOf(context: ExecutionContext): string | undefined {
  return context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['x-user-id'];
}

@Injectable()
class HeaderAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ user?: unknown }>();
    const id = userOf(context);
    if (id) request.user = { id };
    return true;
  }
}

/** A guard that decides nothing: the floor any second guard costs in Nest's pipeline. */
@Injectable()
class NoopGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

/** What a user would otherwise write (as Authing's own demo does): one SDK call per request, no cache. */
@Injectable()
class SdkPerRequestGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const userId = userOf(context);
    if (!userId) return false;
    const answer = await sdk.getUserMfaInfo({ userId });
    const status: unknown = answer.data?.totpStatus;
    return answer.statusCode === 200 && (status === true || status === 'enabled');
  }
}

let wrongAllows = 0;

/** With --time-guards (row 7b): the time each guard's `canActivate` takes inside this loaded server. */
const guardTimes = { ours: { ms: 0, calls: 0 }, noop: { ms: 0, calls: 0 } };
function timeCalls(
  prototype: { canActivate(context: ExecutionContext): unknown },
  into: { ms: number; calls: number },
): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with its own `this` below
  const original = prototype.canActivate;
  prototype.canActivate = function (this: unknown, context: ExecutionContext) {
    const started = performance.now();
    const result = original.call(this, context);
    into.ms += performance.now() - started;
    into.calls += 1;
    return result;
  };
}
if (process.argv.includes('--time-guards')) {
  timeCalls(MfaGuard.prototype, guardTimes.ours);
  timeCalls(NoopGuard.prototype, guardTimes.noop);
}

@Controller()
class BenchController {
  // The app's own authentication runs on both routes: the difference is RequireMfaBound alone.
  @UseGuards(HeaderAuthGuard) @Get('plain') plain() {
    return { ok: true };
  }
  @UseGuards(HeaderAuthGuard, NoopGuard) @Get('noop-guarded') noopGuarded() {
    return { ok: true };
  }
  @UseGuards(HeaderAuthGuard, RequireMfaBound('TOTP')) @Get('guarded') guarded() {
    return { ok: true };
  }
  // The soak's route: a handler run for an odd soak user (no TOTP) would be a wrong allow.
  @UseGuards(HeaderAuthGuard, RequireMfaBound('TOTP')) @Get('soak') soak(@Req() request: { user?: { id?: string } }) {
    const n = Number(request.user?.id?.slice('soak-'.length));
    if (n % 2 !== 0) wrongAllows += 1;
    return { ok: true };
  }
  @UseGuards(SdkPerRequestGuard) @Get('sdk-guarded') sdkGuarded() {
    return { ok: true };
  }
}

@Module({
  imports: [
    MfaModule.forRoot({
      host: emulatorUrl,
      ...credentials,
      isGlobal: true,
      // By default long enough that no entry expires during a run: the warm path is what is measured.
      cache: { ttlMs, negativeTtlMs: ttlMs, store },
    }),
  ],
  controllers: [BenchController],
})
class BenchModule {}

let appUrl: string | undefined;
let service: MfaManagementService | undefined;
let close = async () => {};
if (adapter !== 'none') {
  const app =
    adapter === 'fastify'
      ? await NestFactory.create(BenchModule, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(BenchModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  appUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  service = app.get(MfaManagementService);
  close = async () => {
    await app.close();
    await redis?.quit();
  };
}

type Message =
  | { type: 'cpu' }
  | { type: 'counts' }
  | { type: 'heap' }
  | { type: 'guard-times' }
  | { type: 'latency'; ms: number }
  | { type: 'reset' }
  | { type: 'change'; userId: string; totp: boolean }
  | { type: 'stop' };

process.on('message', (message: Message) => {
  if (message.type === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send!({ type: 'cpu', micros: user + system });
  }
  if (message.type === 'heap') {
    const gc = (globalThis as { gc?: () => void }).gc;
    for (let i = 0; i < 3; i++) gc?.();
    process.send!({ type: 'heap', heapUsed: process.memoryUsage().heapUsed });
  }
  if (message.type === 'guard-times') {
    const ns = (t: { ms: number; calls: number }) => (t.calls === 0 ? Number.NaN : (t.ms * 1e6) / t.calls);
    process.send!({ type: 'guard-times', oursNs: ns(guardTimes.ours), noopNs: ns(guardTimes.noop) });
    for (const t of [guardTimes.ours, guardTimes.noop]) [t.ms, t.calls] = [0, 0];
  }
  if (message.type === 'change') {
    void service!
      .setUsersMfaStatus({
        userId: message.userId,
        mfaTriggerData: { mfaToken: 't', applicationMfa: [], totpMfaEnabled: message.totp },
      })
      .then(() => process.send!({ type: 'changed' }));
  }
  if (message.type === 'counts')
    process.send!({ type: 'counts', mfaInfo: emulator?.requestCount('get-user-mfa-info'), wrongAllows });
  if (message.type === 'latency') {
    if (message.ms > 0) emulator?.setFault('get-user-mfa-info', { latencyMs: message.ms });
    else emulator?.clearFaults();
    process.send!({ type: 'ok' });
  }
  if (message.type === 'reset') {
    emulator?.resetCounts();
    process.send!({ type: 'ok' });
  }
  if (message.type === 'stop')
    void close()
      .then(() => emulator?.stop())
      .then(() => process.exit(0));
});

process.send!({ type: 'ready', appUrl, emulatorUrl, ...credentials });
