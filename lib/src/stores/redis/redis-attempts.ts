import type { MfaAttemptCount } from '../../contracts/attempts.js';

// Lua, so that counting and starting the window are one step on the server, whichever replica counts.

/** Counts one; the first count (or a key left without expiry) starts the window of ARGV[1] ms. */
export const COUNT_SCRIPT = `local n = redis.call('INCR', KEYS[1])
local t = redis.call('PTTL', KEYS[1])
if t < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) t = tonumber(ARGV[1]) end
return {n, t}`;

/** What is counted, without counting. */
export const PEEK_SCRIPT = `local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n == nil or n == 0 then return {0, 0} end
return {n, redis.call('PTTL', KEYS[1])}`;

/** A script's `{count, pttl}` reply; anything else is a failure (the caller refuses the code). */
export function attemptCount(reply: unknown): MfaAttemptCount {
  const [count, ttl] = Array.isArray(reply) && reply.length === 2 ? reply.map(Number) : [NaN, NaN];
  if (!Number.isSafeInteger(count) || count! < 0 || !Number.isSafeInteger(ttl)) {
    throw new Error('Redis answered a count with something else');
  }
  return { count: count!, resetInMs: Math.max(0, ttl!) };
}
