/**
 * Heap growth of the guard's default cache per 100,000 cached users, and whether its bound holds.
 * Run with --expose-gc (run.ts does). Prints one JSON line.
 */
import { randomBytes } from 'node:crypto';
import { InMemoryMfaBindingCache } from 'nestjs-genauth-mfa';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const USERS = 100_000;
function settle(): number {
  for (let i = 0; i < 3; i++) gc!();
  return process.memoryUsage().heapUsed;
}

const cache = new InMemoryMfaBindingCache(USERS);
const before = settle();
// Keys as the guard builds them: `<userIdType>:<userId>`, with 24-hex user IDs like GenAuth's.
for (let i = 0; i < USERS; i++) cache.set(`user_id:${randomBytes(12).toString('hex')}`, i & 15, 600_000);
const after = settle();
for (let i = 0; i < USERS / 2; i++) cache.set(`user_id:overflow-${i}`, 1, 600_000);
console.log(
  JSON.stringify({
    users: USERS,
    heapGrowthMb: (after - before) / 1024 / 1024,
    sizeAfterOverflow: cache.size,
    maxEntries: cache.maxEntries,
  }),
);
