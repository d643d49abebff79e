import type { Logger } from '@nestjs/common';
import { MFA_FACTORS, type MfaFactor } from '../contracts/mfa-factor.js';
import type { MfaFactorTimes, MfaVerificationStore } from '../contracts/verification.js';
import { StateLog } from '../util/state-log.js';
import { isThenable } from '../util/thenable.js';

interface Entry {
  readonly times: MfaFactorTimes;
  expiresAt: number;
}

/**
 * The library's own record of recent verifications, per session key: in memory (bounded, the oldest
 * session out first), or in a shared store so that every replica sees it. A store that fails is "nothing
 * verified" (a step-up challenge, never a pass), logged once when it goes down and once when it is back.
 */
export class VerificationRecord {
  private readonly memory = new Map<string, Entry>();
  private readonly state: StateLog;

  constructor(
    private readonly store: MfaVerificationStore | undefined,
    private readonly maxEntries: number,
    logger: Logger,
  ) {
    this.state = new StateLog(logger, {
      what: 'The verification record store',
      meanwhile: 'step-up routes challenge every request until it is back',
    });
  }

  /** Records a verification, kept `ttlMs`. Never throws. */
  record(sessionKey: string, factor: MfaFactor, at: number, ttlMs: number): Promise<void> {
    if (!this.store) {
      const now = Date.now();
      const entry = this.memory.get(sessionKey);
      const times = entry && entry.expiresAt > now ? { ...entry.times, [factor]: at } : { [factor]: at };
      this.memory.delete(sessionKey);
      this.memory.set(sessionKey, { times, expiresAt: now + ttlMs });
      if (this.memory.size > this.maxEntries) this.memory.delete(this.memory.keys().next().value!);
      return Promise.resolve();
    }
    try {
      return Promise.resolve(this.store.recordVerification(sessionKey, factor, at, ttlMs)).then(
        () => this.state.succeeded(),
        (error: unknown) => this.state.failed('write', error),
      );
    } catch (error) {
      this.state.failed('write', error);
      return Promise.resolve();
    }
  }

  /** What a session verified, and when (`{}` when nothing, or when the store fails). Never rejects. */
  verifications(sessionKey: string): MfaFactorTimes | Promise<MfaFactorTimes> {
    if (!this.store) {
      const entry = this.memory.get(sessionKey);
      return entry && entry.expiresAt > Date.now() ? entry.times : {};
    }
    try {
      const found = this.store.verifications(sessionKey);
      if (!isThenable(found)) return this.accept(found);
      return Promise.resolve(found).then(
        (times) => this.accept(times),
        (error: unknown) => {
          this.state.failed('read', error);
          return {};
        },
      );
    } catch (error) {
      this.state.failed('read', error);
      return {};
    }
  }

  /** Only factor names with finite times are read back: anything else proves nothing. */
  private accept(found: unknown): MfaFactorTimes {
    this.state.succeeded();
    if (found === null || typeof found !== 'object') return {};
    const times: MfaFactorTimes = {};
    for (const factor of MFA_FACTORS) {
      const at = (found as Record<string, unknown>)[factor];
      if (typeof at === 'number' && Number.isFinite(at)) times[factor] = at;
    }
    return times;
  }
}
