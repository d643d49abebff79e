/**
 * One entry is one number: `expiresAt + (parity * 16 + mask) / 32`, exact in a double (ms timestamps need 41
 * bits, the low part 5). A number instead of an object keeps an entry to the Map's slot, the id and one heap
 * number (about 70 bytes with a 24-character id, against about 190 with an object of three fields). Only
 * `Math.floor` and products by powers of two read it: no division, no `%` on the hot path.
 */
const LOW = 32;
const PARITY = 16;

/** The parity of the current 1.024-second tick: an entry moves to the recent end when it differs. */
const parityOf = (now: number) => (Math.floor(now * (1 / 1024)) & 1) * PARITY;

/**
 * The in-memory level of the bindings, in front of any shared store: bounded to `maxEntries`, with a TTL
 * per entry. Entries sit in one
 * `Map` per `userIdType`, keyed by the bare `userId`, so that a lookup builds no key string (GenAuth's ids
 * are long enough that `type + ':' + id` would allocate on every request). Each map is in insertion order
 * and used as an LRU list (recency counted to about a second); when full, the least recently used entry of
 * the type being written goes first (of another type when that one is empty).
 */
export class BindingMemory {
  private readonly byType = new Map<string, Map<string, number>>();
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
    const expiresAt = Math.floor(entry);
    if (expiresAt <= now) {
      entries!.delete(userId);
      this.count -= 1;
      return undefined;
    }
    const low = (entry - expiresAt) * LOW;
    const parity = parityOf(now);
    if ((low & PARITY) !== parity) {
      // Moving the entry to the end marks it most recently used.
      entries!.delete(userId);
      entries!.set(userId, expiresAt + ((low & (PARITY - 1)) + parity) / LOW);
    }
    return low & (PARITY - 1);
  }

  /** Caches a user's mask for `ttlMs` milliseconds (nothing when `ttlMs` <= 0). */
  setUser(userIdType: string, userId: string, mask: number, ttlMs: number): void {
    if (ttlMs <= 0) return;
    let entries = this.byType.get(userIdType);
    if (!entries) this.byType.set(userIdType, (entries = new Map<string, number>()));
    if (entries.delete(userId)) this.count -= 1;
    const now = this.now();
    entries.set(userId, Math.ceil(now + ttlMs) + ((mask & (PARITY - 1)) + parityOf(now)) / LOW);
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

  private evictOne(preferred: Map<string, number>): void {
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
