/**
 * Heap growth of the guard's in-memory level per 100,000 cached users, and whether its bound holds.
 * Run with --expose-gc (run.ts does). Prints one JSON line.
 */
import { randomBytes } from 'node:crypto';
// The in-memory level is internal: the bench loads it from tsc's output (lib/build), which dist/ bundles.
const { BindingMemory } = (await import(
  new URL('../build/bindings/binding-memory.js', import.meta.resolve('nestjs-genauth-mfa')).href
)) as typeof import('../../lib/build/bindings/binding-memory.js');

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const USERS = 100_000;
function settle(): number {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed;
}

const cache = new BindingMemory(USERS);
const before = settle();
// 24-hex user IDs like GenAuth's.
for (let i = 0; i < USERS; i++) cache.setUser('user_id', randomBytes(12).toString('hex'), i & 15, 600_000);
const after = settle();
for (let i = 0; i < USERS / 2; i++) cache.setUser('user_id', `overflow-${i}`, 1, 600_000);
console.log(
  JSON.stringify({
    users: USERS,
    heapGrowthMb: (after - before) / 1024 / 1024,
    sizeAfterOverflow: cache.size,
    maxEntries: cache.maxEntries,
  }),
);
