import { describe, expect, it } from 'vitest';
import { BindingMemory } from '../../lib/src/bindings/binding-memory.js';
import { CircuitBreaker } from '../../lib/src/bindings/circuit-breaker.js';

describe('BindingMemory (the in-memory level)', () => {
  it('holds at most maxEntries, evicting the least recently used', () => {
    let now = 0;
    const cache = new BindingMemory(3, () => now);
    cache.setUser('user_id', 'a', 1, 60_000);
    cache.setUser('user_id', 'b', 2, 60_000);
    cache.setUser('user_id', 'c', 4, 60_000);
    now = 1100; // recency is kept per tick of 1.024 s
    expect(cache.getUser('user_id', 'a')).toBe(1);
    cache.setUser('user_id', 'd', 8, 60_000);
    expect(cache.size).toBe(3);
    expect(cache.getUser('user_id', 'b')).toBeUndefined();
    expect([cache.getUser('user_id', 'a'), cache.getUser('user_id', 'c'), cache.getUser('user_id', 'd')]).toEqual([
      1, 4, 8,
    ]);
  });

  it("keeps each mask and expiry exact in its one number, at today's timestamps too", () => {
    let now = Date.UTC(2026, 11, 2, 12);
    const cache = new BindingMemory(20, () => now);
    for (let mask = 0; mask < 16; mask++) cache.setUser('user_id', `m${mask}`, mask, 2000 + mask);
    // Read in two ticks, so that the second read re-stores each entry with the other parity.
    for (const at of [0, 1100]) {
      now = Date.UTC(2026, 11, 2, 12) + at;
      for (let mask = 0; mask < 16; mask++) expect(cache.getUser('user_id', `m${mask}`)).toBe(mask);
    }
    now = Date.UTC(2026, 11, 2, 12) + 2007;
    expect(cache.getUser('user_id', 'm6')).toBeUndefined();
    expect(cache.getUser('user_id', 'm7')).toBeUndefined();
    expect(cache.getUser('user_id', 'm8')).toBe(8);
  });

  it('expires entries after their TTL and does not store a zero TTL', () => {
    let now = 0;
    const cache = new BindingMemory(10, () => now);
    cache.setUser('user_id', 'a', 3, 100);
    cache.setUser('user_id', 'z', 3, 0);
    now = 99;
    expect(cache.getUser('user_id', 'a')).toBe(3);
    now = 100;
    expect(cache.getUser('user_id', 'a')).toBeUndefined();
    expect(cache.getUser('user_id', 'z')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});

describe('BindingMemory by userIdType', () => {
  it('keeps types apart: the same id under two types, and an id that holds the separator', () => {
    const cache = new BindingMemory(10);
    cache.setUser('user_id', 'a:b', 4, 60_000);
    cache.setUser('email', 'a:b', 2, 60_000);
    expect(cache.getUser('user_id', 'a:b')).toBe(4);
    expect(cache.getUser('email', 'a:b')).toBe(2);
    // A key as stores and their channels name users: the type ends at the first ':'.
    cache.delete('email:a:b');
    expect(cache.getUser('email', 'a:b')).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it("evicts the written type's least recently used entry, else another type's", () => {
    const cache = new BindingMemory(2);
    cache.setUser('email', 'e1', 1, 60_000);
    cache.setUser('user_id', 'u1', 1, 60_000);
    cache.setUser('user_id', 'u2', 1, 60_000);
    expect(cache.size).toBe(2);
    expect(cache.getUser('user_id', 'u1')).toBeUndefined();
    expect(cache.getUser('email', 'e1')).toBe(1);
    cache.setUser('phone', 'p1', 1, 60_000);
    expect(cache.size).toBe(2);
    expect(cache.getUser('phone', 'p1')).toBe(1);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});

describe('CircuitBreaker', () => {
  it('opens after the threshold, allows one trial after the reset time, and closes on success', () => {
    let now = 0;
    const breaker = new CircuitBreaker(2, 1000, () => now);
    breaker.failure();
    expect(breaker.blockedForMs()).toBe(0);
    breaker.failure();
    expect(breaker.blockedForMs()).toBe(1000);
    now = 1000;
    expect(breaker.blockedForMs()).toBe(0);
    expect(breaker.blockedForMs()).toBe(1000);
    breaker.success();
    expect(breaker.blockedForMs()).toBe(0);
  });

  it('reopens when the trial fails', () => {
    let now = 0;
    const breaker = new CircuitBreaker(1, 500, () => now);
    breaker.failure();
    now = 500;
    expect(breaker.blockedForMs()).toBe(0);
    breaker.failure();
    expect(breaker.blockedForMs()).toBe(500);
  });
});
