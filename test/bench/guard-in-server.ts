/**
 * Row 7b (reported, not judged): the guard's `canActivate` timed inside a loaded server, against the
 * do-nothing guard timed the same way. Row 7 calls the guard a million times in a row, so its code and data
 * stay in the CPU's caches; between two requests of a real server the rest of the request evicts them, and
 * this row shows what that costs. The timer's own cost (two `performance.now()` calls) is in both figures
 * and cancels in the difference.
 */
import { load, pinnedServer } from './http-rows.js';
import { spread } from './stats.js';

const ROUNDS = 6;

export async function guardInServer(adapter: string) {
  const { server, release } = await pinnedServer(adapter, ['--time-guards']);
  try {
    const base = server.ready.appUrl!;
    await fetch(`${base}/guarded`, { headers: { 'x-user-id': 'bench-user' } });
    for (const route of ['guarded', 'noop-guarded']) await load(`${base}/${route}`, 'bench-user', 1);
    const ours: number[] = [];
    const noop: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const route of round % 2 === 0 ? ['guarded', 'noop-guarded'] : ['noop-guarded', 'guarded']) {
        await server.ask({ type: 'guard-times' });
        await load(`${base}/${route}`, 'bench-user', 1);
        const times = await server.ask({ type: 'guard-times' });
        if (route === 'guarded') ours.push(times['oursNs'] as number);
        else noop.push(times['noopNs'] as number);
      }
    }
    return {
      adapter,
      ours: spread(ours),
      noop: spread(noop),
      own: spread(ours.map((ns, i) => ns - noop[i]!)),
    };
  } finally {
    await release();
  }
}
