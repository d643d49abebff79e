interface Entry {
  mask: number;
  expiresAt: number;
  touchedAt: number;
}

/** An entry moves to the recent end at most this often: recency to the second, and hits stay cheap. */
const TOUCH_INTERVAL_MS = 1000;

/**
 * The in-memory level of the bindings, in front of any shared store: bounded to `maxEntries`, with a TTL
 * per entry. Entries sit in one
 * `Map` per `userIdType`, keyed by the bare `userId`, so that a lookup builds no key string (GenAuth's ids
 * are long enough that `type + ':' + id` would allocate on every request). Each map is in insertion order
 * and used as an LRU list (recency counted to the second); when full, the least recently used entry of
 * the type being written goes first (of another type when that one is empty).
 */
export class BindingMemory {
  private readonly byType = new Map<string, Map<string, Entry>>();
  private count = 0;

  constructor(
    /** Most entries held. */
    readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Entries held now, expired ones not yet evicted included. */
  get size(): number {
    return this.count;
  }

  /** The cached mask of a user, without building a key. */
  getUser(userIdType: string, userId: string): number | undefined {
    const entries = this.byType.get(userIdType);
    const entry = entries?.get(userId);
    if (entry === undefined) return undefined;
    const now = this.now();
    if (entry.expiresAt <= now) {
      entries!.delete(userId);
      this.count -= 1;
      return undefined;
    }
    if (now - entry.touchedAt >= TOUCH_INTERVAL_MS) {
      // Moving the entry to the end marks it most recently used; the entry object itself is reused.
      entry.touchedAt = now;
      entries!.delete(userId);
      entries!.set(userId, entry);
    }
    return entry.mask;
  }

  /** Caches a user's mask for `ttlMs` milliseconds (nothing when `ttlMs` <= 0). */
  setUser(userIdType: string, userId: string, mask: number, ttlMs: number): void {
    if (ttlMs <= 0) return;
    let entries = this.byType.get(userIdType);
    if (!entries) this.byType.set(userIdType, (entries = new Map<string, Entry>()));
    if (entries.delete(userId)) this.count -= 1;
    const now = this.now();
    entries.set(userId, { mask, expiresAt: now + ttlMs, touchedAt: now });
    this.count += 1;
    if (this.count > this.maxEntries) this.evictOne(entries);
  }

  /** Forgets a user. */
  deleteUser(userIdType: string, userId: string): void {
    if (this.byType.get(userIdType)?.delete(userId)) this.count -= 1;
  }

  /** Forgets the user of a key `<userIdType>:<userId>` (as stores and their channels name users). */
  delete(key: string): void {
    const [type, id] = split(key);
    this.deleteUser(type, id);
  }

  /** Forgets every entry. */
  clear(): void {
    this.byType.clear();
    this.count = 0;
  }

  private evictOne(preferred: Map<string, Entry>): void {
    let from = preferred;
    if (from.size <= 1) {
      for (const entries of this.byType.values()) {
        if (entries !== preferred && entries.size > 0) {
          from = entries;
          break;
        }
      }
    }
    const oldest = from.keys().next();
    if (!oldest.done) {
      from.delete(oldest.value);
      this.count -= 1;
    }
  }
}

/** `<userIdType>:<userId>` split at the first `:` (a valid userIdType holds none). */
function split(key: string): [string, string] {
  const at = key.indexOf(':');
  return at < 0 ? ['', key] : [key.slice(0, at), key.slice(at + 1)];
}
