/**
 * Pins processes to CPUs with `taskset` (util-linux) for the HTTP rows: the server on one core, the load
 * generator on another, so that neither migrates or waits behind the other. Where `taskset` is missing or
 * the machine has one CPU, nothing is pinned and the rows say so.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** Whether pinning works here: `taskset` runs and there are two CPUs or more. */
export const canPin: boolean = (() => {
  if (availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Sets the CPU list (`'1'`, `'0-1'`) of every thread of `pid`; new threads inherit it. */
export function pin(pid: number, cpus: string): void {
  if (canPin) execFileSync('taskset', ['-a', '-cp', cpus, String(pid)], { stdio: 'ignore' });
}

/** Every CPU, to undo {@link pin}. */
export const allCpus = `0-${availableParallelism() - 1}`;
