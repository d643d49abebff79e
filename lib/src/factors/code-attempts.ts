import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { MfaAttemptCount, MfaAttemptStore } from '../contracts/attempts.js';
import { defaultDenialBody } from '../contracts/denial.js';
import { clampRetryAfterSeconds } from '../contracts/limits.js';
import { MfaUnavailableException } from '../errors/mfa.exceptions.js';
import {
  MfaCodeRejectedException,
  MfaResendTooSoonException,
  MfaTooManyAttemptsException,
} from './factor.exceptions.js';
import { MemoryAttemptStore } from './memory-attempts.js';

/** Wrong codes a session may send in a window, and a user over all their sessions (a stolen password opens many). */
export const WRONG_PER_SESSION = 5;
export const WRONG_PER_USER = 10;
const WINDOW_MS = 5 * 60_000;
/** GenAuth sends one code per target and channel a minute: the library asks no more often. */
const RESEND_MS = 60_000;
/** How long a used code stays refused: longer than GenAuth keeps an SMS or e-mail code valid. */
const USED_MS = 30 * 60_000;

/** Who tries a code: the session, and the user when GenAuth has vouched for the token. */
export interface CodeTrier {
  readonly sessionKey: string;
  readonly userId: string | undefined;
}

/**
 * The limits on codes, kept in the attempts' store so that they hold across replicas: wrong codes per
 * session and per user, a code used once, one send a minute. The store not answering refuses the code
 * (503): a limit that cannot be read is not a limit.
 */
export class CodeAttempts {
  private readonly logger = new Logger('MfaFactorService');
  private readonly store: MfaAttemptStore;
  private storeFailed = false;

  constructor(shared: MfaAttemptStore | undefined, maxEntries: number) {
    this.store = shared ?? new MemoryAttemptStore(maxEntries);
  }

  /** Refuses at once (429) while the session or the user has used up its wrong codes. */
  async refuseWhileLocked(who: CodeTrier): Promise<void> {
    const counts = await this.safely(() =>
      Promise.all(this.keys(who).map(([key]) => Promise.resolve(this.store.peek(key)))),
    );
    const wait = this.lockedFor(this.keys(who), counts);
    if (wait > 0) throw new MfaTooManyAttemptsException(wait);
  }

  /** Counts a wrong code; the answer to give: a 400 with the tries left, or a 429 once none are. */
  async wrong(who: CodeTrier): Promise<Error> {
    const keys = this.keys(who);
    const counts = await this.safely(() =>
      Promise.all(keys.map(([key]) => Promise.resolve(this.store.count(key, WINDOW_MS)))),
    );
    const left = Math.min(...keys.map(([, max], i) => max - counts[i]!.count));
    return left > 0
      ? new MfaCodeRejectedException(left)
      : new MfaTooManyAttemptsException(this.lockedFor(keys, counts));
  }

  /** Takes a right code: true the first time on any replica, false when it was used already. */
  async firstUse(factor: string, target: string, code: string): Promise<boolean> {
    const digest = createHash('sha256').update(`${factor}\n${target}\n${code}`).digest('base64url');
    return this.safely(() => this.store.takeOnce(`used:${digest}`, USED_MS));
  }

  /** Counts a send; 429 when the session sent this factor a code less than a minute ago. */
  async send(who: CodeTrier, factor: string): Promise<number> {
    const sent = await this.safely(() => this.store.count(`sent:${factor}:${who.sessionKey}`, RESEND_MS));
    if (sent.count > 1) throw new MfaResendTooSoonException(clampRetryAfterSeconds(sent.resetInMs / 1000));
    return Math.ceil(RESEND_MS / 1000);
  }

  /** Marks `key` (a passkey the library registered) for `ttlMs`, on every replica. */
  async vouch(key: string, ttlMs: number): Promise<void> {
    await this.safely(() => this.store.count(`vouched:${key}`, ttlMs));
  }

  /** Whether `key` is marked. */
  async vouched(key: string): Promise<boolean> {
    return (await this.safely(() => this.store.peek(`vouched:${key}`))).count > 0;
  }

  private keys(who: CodeTrier): [string, number][] {
    const keys: [string, number][] = [[`wrong:s:${who.sessionKey}`, WRONG_PER_SESSION]];
    if (who.userId !== undefined) keys.push([`wrong:u:${who.userId}`, WRONG_PER_USER]);
    return keys;
  }

  /** Seconds until every used-up key's window ends, or 0 when none is used up. */
  private lockedFor(keys: [string, number][], counts: MfaAttemptCount[]): number {
    const waits = keys.map(([, max], i) => (counts[i]!.count >= max ? counts[i]!.resetInMs : 0));
    const wait = Math.max(...waits);
    return wait > 0 ? clampRetryAfterSeconds(wait / 1000) : 0;
  }

  private async safely<T>(run: () => T | Promise<T>): Promise<T> {
    try {
      const value = await run();
      this.storeFailed = false;
      return value;
    } catch (error) {
      if (!this.storeFailed) {
        this.storeFailed = true;
        this.logger.error(
          `the attempts' store failed, codes are refused until it answers: ${(error as Error).message}`,
        );
      }
      const retryAfterSeconds = 5;
      throw new MfaUnavailableException(
        defaultDenialBody({ code: 'MFA_UNAVAILABLE', status: 503, retryAfterSeconds }),
        retryAfterSeconds,
      );
    }
  }
}
