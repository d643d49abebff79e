import { describe, expect, it } from 'vitest';
import { keepsAttempts } from '../../lib/src/contracts/attempts.js';
import { MemoryAttemptStore } from '../../lib/src/factors/memory-attempts.js';

describe('MemoryAttemptStore: the attempts of one replica', () => {
  it('counts in a fixed window that the first count starts, and starts again once it ends', () => {
    let now = 1_000_000;
    const store = new MemoryAttemptStore(10, () => now);
    expect(store.peek('k')).toEqual({ count: 0, resetInMs: 0 });
    expect(store.count('k', 1000)).toEqual({ count: 1, resetInMs: 1000 });
    now += 400;
    expect(store.count('k', 1000)).toEqual({ count: 2, resetInMs: 600 });
    expect(store.peek('k')).toEqual({ count: 2, resetInMs: 600 });
    now += 600;
    expect(store.peek('k')).toEqual({ count: 0, resetInMs: 0 });
    expect(store.count('k', 1000)).toEqual({ count: 1, resetInMs: 1000 });
  });

  it('takes a key once until its time ends', () => {
    let now = 0;
    const store = new MemoryAttemptStore(10, () => now);
    expect(store.takeOnce('code', 500)).toBe(true);
    expect(store.takeOnce('code', 500)).toBe(false);
    now += 500;
    expect(store.takeOnce('code', 500)).toBe(true);
  });

  it('holds at most maxEntries keys, dropping the oldest', () => {
    const store = new MemoryAttemptStore(2, () => 0);
    store.count('a', 1000);
    store.count('b', 1000);
    store.count('c', 1000);
    expect([store.peek('a').count, store.peek('b').count, store.peek('c').count]).toEqual([0, 1, 1]);
  });

  it('is what keepsAttempts recognises, and a verification store alone is not', () => {
    expect(keepsAttempts(new MemoryAttemptStore(1))).toBe(true);
    expect(keepsAttempts({ recordVerification() {}, verifications() {} })).toBe(false);
    expect(keepsAttempts(null)).toBe(false);
  });
});
