import { describe, expect, it } from 'vitest';
import { InMemoryMfaBindingCache } from 'nestjs-genauth-mfa';
import { CircuitBreaker } from '../../lib/src/guard/circuit-breaker.js';

describe('InMemoryMfaBindingCache', () => {
  it('holds at most maxEntries, evicting the least recently used', () => {
    let now = 0;
    const cache = new InMemoryMfaBindingCache(3, () => now);
    cache.set('a', 1, 60_000);
    cache.set('b', 2, 60_000);
    cache.set('c', 4, 60_000);
    now = 1000;
    expect(cache.get('a')).toBe(1);
    cache.set('d', 8, 60_000);
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 4, 8]);
  });

  it('expires entries after their TTL and does not store a zero TTL', () => {
    let now = 0;
    const cache = new InMemoryMfaBindingCache(10, () => now);
    cache.set('a', 3, 100);
    cache.set('z', 3, 0);
    now = 99;
    expect(cache.get('a')).toBe(3);
    now = 100;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('z')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});

describe('InMemoryMfaBindingCache by userIdType', () => {
  it('keeps types apart: the same id under two types, and an id that holds the separator', () => {
    const cache = new InMemoryMfaBindingCache(10);
    cache.setUser('user_id', 'a:b', 4, 60_000);
    cache.setUser('email', 'a:b', 2, 60_000);
    expect(cache.getUser('user_id', 'a:b')).toBe(4);
    expect(cache.getUser('email', 'a:b')).toBe(2);
    // The string-keyed interface reads the same entries: the type ends at the first ':'.
    expect(cache.get('user_id:a:b')).toBe(4);
    cache.delete('email:a:b');
    expect(cache.getUser('email', 'a:b')).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it("evicts the written type's least recently used entry, else another type's", () => {
    const cache = new InMemoryMfaBindingCache(2);
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
