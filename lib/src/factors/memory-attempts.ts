import type { MfaAttemptCount, MfaAttemptStore } from '../contracts/attempts.js';

interface Entry {
  count: number;
  until: number;
}

/**
 * The attempts of one replica, in memory: what is used when no shared store keeps them. Holds at most
 * `maxEntries` keys; the oldest go first, so memory is bounded whatever the traffic.
 */
export class MemoryAttemptStore implements MfaAttemptStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  takeOnce(key: string, ttlMs: number): boolean {
    if (this.live(key)) return false;
    this.put(key, { count: 1, until: this.now() + ttlMs });
    return true;
  }

  count(key: string, windowMs: number): MfaAttemptCount {
    const now = this.now();
    const entry = this.live(key) ?? { count: 0, until: now + windowMs };
    entry.count += 1;
    this.put(key, entry);
    return { count: entry.count, resetInMs: entry.until - now };
  }

  peek(key: string): MfaAttemptCount {
    const entry = this.live(key);
    return entry ? { count: entry.count, resetInMs: entry.until - this.now() } : { count: 0, resetInMs: 0 };
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.until <= this.now()) this.entries.delete(key);
    return entry && entry.until > this.now() ? entry : undefined;
  }

  private put(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
