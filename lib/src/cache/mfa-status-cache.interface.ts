/** Injection token of the guard's binding cache. Provide your own {@link MfaStatusCache} under it. */
export const MFA_STATUS_CACHE = Symbol('MFA_STATUS_CACHE');

/**
 * Where the guard keeps users' bindings between requests. A binding is a bit mask of factors
 * (EMAIL 1, SMS 2, TOTP 4, FACE 8). Keys are `<userIdType>:<userId>`. Methods may answer synchronously
 * (in-memory) or with a promise (a shared store such as Redis).
 */
export interface MfaStatusCache {
  /** The cached mask, or undefined when absent or expired. */
  get(key: string): number | undefined | Promise<number | undefined>;
  /** Caches `mask` for `ttlMs` milliseconds. */
  set(key: string, mask: number, ttlMs: number): void | Promise<void>;
  /** Forgets `key`. */
  delete(key: string): void | Promise<void>;
}
