/**
 * Injection token of the shared binding store in use (`cache.store`), or `null` when there is none. Tests can
 * replace it with `overrideProvider(MFA_BINDING_CACHE)`.
 */
export const MFA_BINDING_CACHE = Symbol('MFA_BINDING_CACHE');

/** A change another replica made, as a store with an invalidation channel reports it. */
export type MfaBindingChange = { readonly kind: 'delete'; readonly key: string } | { readonly kind: 'clear' };

/** What a store says of its own health (for logs and the health indicator). */
export interface MfaStoreHealth {
  readonly status: 'up' | 'down';
  /** Why it is down, without secrets. */
  readonly detail?: string;
}

/**
 * A shared second level for users' bindings (Redis, ...), behind the in-memory level the guard always
 * keeps. A binding is a bit mask of factors (EMAIL 1, SMS 2, TOTP 4, FACE 8); keys are
 * `<userIdType>:<userId>`. Methods may answer synchronously or with a promise. A store may fail: the guard
 * logs one line when it goes down and one when it is back, falls back to GenAuth, and treats an answer
 * that is not a mask (an integer from 0 to 15) as a miss. The guard never tests a store's class: what it
 * needs is in this interface, optional where a store may lack it.
 */
export interface MfaBindingCache {
  /** The cached mask, or undefined when absent or expired. */
  get(key: string): number | undefined | Promise<number | undefined>;
  /** Caches `mask` for `ttlMs` milliseconds. */
  set(key: string, mask: number, ttlMs: number): void | Promise<void>;
  /** Forgets `key` (and tells the other replicas, when the store has a channel). */
  delete(key: string): void | Promise<void>;
  /**
   * Forgets every entry. Optional; used when a user's factors change through one identifier type while
   * entries exist under others (without it those entries live out their TTL).
   */
  clear?(): void | Promise<void>;
  /** Optional; called when the module shuts down (a store closes the connections it opened itself). */
  close?(): void | Promise<void>;
  /**
   * How long the guard may answer from process memory what this store said, in ms. Give it only with
   * {@link watch}, or accept that a change made on another replica reaches this one after this long.
   * Default 0: every request without an answer of this replica's own lookup asks the store.
   */
  readonly memoryTtlMs?: number;
  /** Most users the guard keeps in process memory for this store. Default: the module's `cache.maxEntries`. */
  readonly memoryMaxEntries?: number;
  /**
   * Subscribes to changes made by other replicas, so that the guard drops what it holds in memory for
   * them. Returns a function that unsubscribes. Optional: a store without a channel sets no `memoryTtlMs`.
   */
  watch?(listener: (change: MfaBindingChange) => void): () => void;
  /** The store's health now, optional (the health indicator reports it, from start-up on). */
  health?(): MfaStoreHealth;
}
