/**
 * Injection token of the guard's binding cache in use. To use another store, pass it as the module's
 * `cache.store` option; tests can also replace it with `overrideProvider(MFA_BINDING_CACHE)`.
 */
export const MFA_BINDING_CACHE = Symbol('MFA_BINDING_CACHE');

/**
 * Where the guard keeps users' bindings between requests. A binding is a bit mask of factors
 * (EMAIL 1, SMS 2, TOTP 4, FACE 8). Keys are `<userIdType>:<userId>`. Methods may answer synchronously
 * (in-memory) or with a promise (a shared store such as Redis). A store may fail: the guard logs (at most
 * one warning per 30 s), falls back to GenAuth, and treats an answer that is not a number as a miss.
 */
export interface MfaBindingCache {
  /** The cached mask, or undefined when absent or expired. */
  get(key: string): number | undefined | Promise<number | undefined>;
  /** Caches `mask` for `ttlMs` milliseconds. */
  set(key: string, mask: number, ttlMs: number): void | Promise<void>;
  /** Forgets `key`. */
  delete(key: string): void | Promise<void>;
  /**
   * Forgets every entry. Optional; used when a user's factors change through one identifier type while
   * entries exist under others (without it those entries live out their TTL).
   */
  clear?(): void | Promise<void>;
  /** Optional; called when the module shuts down (a store closes the connections it opened itself). */
  close?(): void | Promise<void>;
}
