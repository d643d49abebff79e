import type { Logger } from '@nestjs/common';
import type { MfaBindingCache, MfaBindingChange, MfaStoreHealth } from '../contracts/binding-store.js';
import { isFactorMask } from '../contracts/mfa-factor.js';
import { StateLog } from '../util/state-log.js';
import { isThenable } from '../util/thenable.js';

/**
 * The shared second level (`cache.store`), when there is one, behind a face that never throws: a store
 * that throws, rejects or answers something other than a mask is a miss, logged once when it goes down
 * and once when it is back.
 */
export class SharedLevel {
  private readonly state: StateLog;

  constructor(
    private readonly store: MfaBindingCache | undefined,
    logger: Logger,
  ) {
    this.state = new StateLog(logger, { what: 'The binding cache store', meanwhile: 'falling back to GenAuth' });
  }

  /** Whether a store is configured. */
  get present(): boolean {
    return this.store !== undefined;
  }

  /** How long the guard may keep this store's answers in memory (0: not at all). */
  get memoryTtlMs(): number {
    return this.store?.memoryTtlMs ?? 0;
  }

  /** The store's mask for `key`, or undefined (absent, or the store failed). Never throws, never rejects. */
  read(key: string): number | undefined | Promise<number | undefined> {
    let answer: unknown;
    try {
      answer = this.store!.get(key);
    } catch (error) {
      this.state.failed('read', error);
      return undefined;
    }
    if (!isThenable(answer)) return this.accept(answer);
    return Promise.resolve(answer).then(
      (mask) => this.accept(mask),
      (error: unknown) => {
        this.state.failed('read', error);
        return undefined;
      },
    );
  }

  /** Stores a mask; a failure is logged, never thrown. */
  write(key: string, mask: number, ttlMs: number): void {
    try {
      const stored = this.store!.set(key, mask, ttlMs);
      if (isThenable(stored)) Promise.resolve(stored).catch((error: unknown) => this.state.failed('write', error));
    } catch (error) {
      this.state.failed('write', error);
    }
  }

  /** Forgets one user's entry. Never rejects. */
  async forget(key: string): Promise<void> {
    if (!this.store) return;
    try {
      await this.store.delete(key);
    } catch (error) {
      this.state.failed('delete', error);
    }
  }

  /**
   * Forgets every entry; when the store cannot (no `clear()`), forgets `key` and logs that entries under
   * other identifier types stay. Never rejects.
   */
  async clear(key?: string): Promise<void> {
    if (!this.store) return;
    if (!this.store.clear) {
      this.state.failed('clear', new Error('the store has no clear(); other entries stay until their TTL'));
      return key === undefined ? undefined : this.forget(key);
    }
    try {
      await this.store.clear();
    } catch (error) {
      this.state.failed('clear', error);
    }
  }

  /** Hears of changes made by other replicas, when the store has a channel. */
  watch(listener: (change: MfaBindingChange) => void): () => void {
    return this.store?.watch?.(listener) ?? (() => undefined);
  }

  /** Up unless this process's last call failed or the store says it is down; undefined without a store. */
  health(): MfaStoreHealth | undefined {
    if (!this.store) return undefined;
    const reported = this.store.health?.();
    if (reported?.status === 'down') return reported;
    return this.state.down ? { status: 'down', detail: 'the last call to the store failed' } : { status: 'up' };
  }

  async close(): Promise<void> {
    try {
      await this.store?.close?.();
    } catch (error) {
      this.state.failed('close', error);
    }
  }

  private accept(answer: unknown): number | undefined {
    if (isFactorMask(answer)) {
      this.state.succeeded();
      return answer;
    }
    if (answer === undefined || answer === null) this.state.succeeded();
    else
      this.state.failed(
        'read',
        new Error(`get answered ${typeof answer === 'number' ? answer : typeof answer}, not a mask`),
      );
    return undefined;
  }
}
