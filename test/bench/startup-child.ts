/**
 * One start-up measurement in a fresh process (startup.ts runs it), printing one JSON line:
 * - `import A [B ...]`: the milliseconds to import the packages, in order;
 * - `count A [B ...]`: the files (ESM and CommonJS) that importing them loads, by package;
 * - `boot` / `boot --mfa`: milliseconds from the process's start until a one-route Nest app listens on loopback,
 *   and the CPU milliseconds spent by then, without or with MfaModule (the route then guarded by RequireMfaBound).
 * Nothing but node: builtins is imported before the measurement starts.
 */
import { createRequire, register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';

const [mode, ...rest] = process.argv.slice(2);

async function importAll(specifiers: string[]): Promise<number> {
  const started = performance.now();
  for (const specifier of specifiers) await import(specifier);
  return performance.now() - started;
}

/** ESM files seen by a load hook (off-thread on Node 20, so reported by message), plus require()'s cache. */
async function count(specifiers: string[]): Promise<{ files: number; byPackage: Record<string, number> }> {
  const { port1, port2 } = new MessageChannel();
  const loaded = new Set<string>();
  port1.on('message', (url: string) => loaded.add(fileURLToPath(url)));
  const hook = `let port;
    export function initialize(data) { port = data.port; }
    export async function load(url, context, next) { if (url.startsWith('file:')) port.postMessage(url); return next(url, context); }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { port: port2 }, transferList: [port2] });
  await importAll(specifiers);
  // The hook's messages arrive asynchronously: wait until a quiet 50 ms, at most 2 s.
  for (let i = 0, size = -1; i < 40 && size !== loaded.size; i++) {
    size = loaded.size;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  port1.close();
  for (const file of Object.keys(createRequire(import.meta.url).cache)) loaded.add(file);
  loaded.delete(fileURLToPath(import.meta.url));
  const byPackage: Record<string, number> = {};
  for (const file of loaded) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? (file.includes('/lib/dist/') ? 'ours' : file);
    byPackage[name] = (byPackage[name] ?? 0) + 1;
  }
  return { files: loaded.size, byPackage };
}

/** A one-route app listening on a free loopback port: the time since the process started, and its CPU time. */
async function boot(withMfa: boolean): Promise<{ ms: number; cpuMs: number }> {
  await import('reflect-metadata');
  const common = await import('@nestjs/common');
  const { NestFactory } = await import('@nestjs/core');
  const mfa = withMfa ? await import('nestjs-genauth-mfa') : undefined;
  class PingController {
    ping() {
      return 'pong';
    }
  }
  common.Controller()(PingController);
  const descriptor = Object.getOwnPropertyDescriptor(PingController.prototype, 'ping')!;
  common.Get('ping')(PingController.prototype, 'ping', descriptor);
  if (mfa) common.UseGuards(mfa.RequireMfaBound('TOTP'))(PingController.prototype, 'ping', descriptor);
  // The credentials are never used: no route is called and the start-up check is off. This workspace has
  // @opentelemetry/api and @nestjs/event-emitter installed, which an app without them would not load:
  // BENCH_BOOT_TELEMETRY=1 keeps the module's defaults, which load them.
  const telemetry = process.env['BENCH_BOOT_TELEMETRY'] === '1' ? {} : { metrics: false, decisionEvents: false };
  const options = { accessKeyId: 'bench', accessKeySecret: 'bench-secret', verifyCredentials: false as const };
  const imports = mfa ? [mfa.MfaModule.forRoot({ ...options, ...telemetry })] : [];
  class AppModule {}
  common.Module({ imports, controllers: [PingController] })(AppModule);
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const ms = performance.now();
  const { user, system } = process.cpuUsage();
  await app.close();
  return { ms, cpuMs: (user + system) / 1000 };
}

if (mode === 'import') console.log(JSON.stringify({ ms: await importAll(rest) }));
else if (mode === 'count') console.log(JSON.stringify(await count(rest)));
else if (mode === 'boot') console.log(JSON.stringify(await boot(rest.includes('--mfa'))));
else throw new Error(`startup-child: unknown mode ${mode}`);
