/**
 * Row 14: what the library costs a cold start. Every figure comes from fresh processes (startup-child.js),
 * run in interleaved rounds whose order rotates, so that a slow spell of the shared machine falls on every
 * candidate alike; the verdicts read medians of per-round figures.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spread, type Spread } from './stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env['BENCH_STARTUP_ROUNDS'] ?? 15);
const CLI = fileURLToPath(new URL('../bin/genauth-mfa.js', import.meta.resolve('nestjs-genauth-mfa')));

/**
 * Ours is judged against `@nestjs/common` alone (the bar), and reported against Nest's two packages,
 * which every Nest app has loaded before it can start.
 */
const NEST = ['@nestjs/common', '@nestjs/core'];
const CANDIDATES = { nest: NEST, ours: ['nestjs-genauth-mfa'], common: ['@nestjs/common'] } as const;
type Candidate = keyof typeof CANDIDATES;

function child<T>(args: string[]): T {
  return JSON.parse(
    execFileSync(process.execPath, [join(here, 'startup-child.js'), ...args], { encoding: 'utf8' }),
  ) as T;
}

/** Wall time of a whole process, spawn to exit. */
function wallMs(args: string[]): number {
  const started = performance.now();
  execFileSync(process.execPath, args, { stdio: 'ignore' });
  return performance.now() - started;
}

/** The round's order: the candidates rotated by the round's number. */
function rotated<T>(items: readonly T[], round: number): T[] {
  const at = round % items.length;
  return [...items.slice(at), ...items.slice(0, at)];
}

const median = (xs: readonly number[]) => spread(xs).median;

export interface StartupCost {
  rounds: number;
  /** Milliseconds to import, per candidate (medians with their spreads). */
  importMs: Record<Candidate, Spread>;
  /** Per round: ours over Nest's two packages, and over @nestjs/common alone (the one judged). */
  importRatio: { versusNest: Spread; versusCommon: Spread };
  /** Files loaded by each import, with the packages that contribute most. */
  modules: Record<Candidate, { files: number; byPackage: Record<string, number> }>;
  /**
   * A one-route Express app, from the process's start until it listens: without MfaModule, with it, the delta.
   * The verdict reads the CPU time's delta (`cpuDelta`): wall time on this shared machine swings by ±100 ms.
   */
  bootMs: { without: Spread; with: Spread; delta: Spread; cpuWithout: Spread; cpuWith: Spread; cpuDelta: Spread };
  /** `genauth-mfa --help`, spawn to exit, and an empty `node -e ''` beside it. */
  cliHelpMs: { help: Spread; emptyNode: Spread };
  targets: { importRatio: number; bootDeltaMs: number; cliHelpMs: number };
  met: boolean;
}

export function startupCost(): StartupCost {
  const times: Record<Candidate, number[]> = { nest: [], ours: [], common: [] };
  const versusNest: number[] = [];
  const versusCommon: number[] = [];
  const boots = { without: [], with: [], delta: [], cpuWithout: [], cpuWith: [], cpuDelta: [] } as Record<
    keyof StartupCost['bootMs'],
    number[]
  >;
  const help: number[] = [];
  const emptyNode: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const ms = {} as Record<Candidate, number>;
    for (const name of rotated(Object.keys(CANDIDATES) as Candidate[], round)) {
      ms[name] = child<{ ms: number }>(['import', ...CANDIDATES[name]]).ms;
      times[name].push(ms[name]);
    }
    versusNest.push(ms.ours / ms.nest);
    versusCommon.push(ms.ours / ms.common);
    const boot = {} as Record<'without' | 'with', { ms: number; cpuMs: number }>;
    for (const name of rotated(['without', 'with'] as const, round)) {
      boot[name] = child<{ ms: number; cpuMs: number }>(name === 'with' ? ['boot', '--mfa'] : ['boot']);
    }
    boots.without.push(boot.without.ms);
    boots.with.push(boot.with.ms);
    boots.delta.push(boot.with.ms - boot.without.ms);
    boots.cpuWithout.push(boot.without.cpuMs);
    boots.cpuWith.push(boot.with.cpuMs);
    boots.cpuDelta.push(boot.with.cpuMs - boot.without.cpuMs);
    help.push(wallMs([CLI, '--help']));
    emptyNode.push(wallMs(['-e', '']));
  }
  const modules = Object.fromEntries(
    (Object.keys(CANDIDATES) as Candidate[]).map((name) => {
      const counted = child<{ files: number; byPackage: Record<string, number> }>(['count', ...CANDIDATES[name]]);
      const top = Object.entries(counted.byPackage)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6);
      return [name, { files: counted.files, byPackage: Object.fromEntries(top) }];
    }),
  ) as StartupCost['modules'];
  const targets = { importRatio: 1.15, bootDeltaMs: 50, cliHelpMs: 300 };
  return {
    rounds: ROUNDS,
    importMs: { nest: spread(times.nest), ours: spread(times.ours), common: spread(times.common) },
    importRatio: { versusNest: spread(versusNest), versusCommon: spread(versusCommon) },
    modules,
    bootMs: Object.fromEntries(Object.entries(boots).map(([key, xs]) => [key, spread(xs)])) as StartupCost['bootMs'],
    cliHelpMs: { help: spread(help), emptyNode: spread(emptyNode) },
    targets,
    met:
      median(versusCommon) <= targets.importRatio &&
      median(boots.cpuDelta) <= targets.bootDeltaMs &&
      median(help) <= targets.cliHelpMs,
  };
}
