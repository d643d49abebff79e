import type { MfaBindingCache } from './mfa-binding-cache.interface.js';

interface Entry {
  mask: number;
  expiresAt: number;
  touchedAt: number;
}

/** An entry moves to the recent end at most this often: recency to the second, and hits stay cheap. */
const TOUCH_INTERVAL_MS = 1000;

/**
 * The default {@link MfaBindingCache}: a `Map` in insertion order used as an LRU list, bounded to
 * `maxEntries` (the least recently used goes first, recency counted to the second), with a TTL per entry.
 */
export class InMemoryMfaBindingCache implements MfaBindingCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    /** Most entries held. */
    readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Entries held now, expired ones not yet evicted included. */
  get size(): number {
    return this.entries.size;
  }

  get(key: string): number | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const now = this.now();
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    if (now - entry.touchedAt >= TOUCH_INTERVAL_MS) {
      // Moving the entry to the end marks it most recently used; the entry object itself is reused.
      entry.touchedAt = now;
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry.mask;
  }

  set(key: string, mask: number, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.entries.delete(key);
    const now = this.now();
    this.entries.set(key, { mask, expiresAt: now + ttlMs, touchedAt: now });
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every entry. */
  clear(): void {
    this.entries.clear();
  }
}
