import type { Logger } from '@nestjs/common';
import type { MfaBindingResolver } from '../bindings/mfa-binding.resolver.js';
import type { MfaFactor } from '../contracts/mfa-factor.js';
import type { MfaVerifications } from '../verifications/mfa-verifications.js';

/** What the receiver has done since start-up, for tests and health pages. */
export interface MfaWebhookCounts {
  /** Requests answered 2xx (understood or ignored). */
  readonly accepted: number;
  /** Requests refused: wrong or missing secret (401), other user pool (403), bad body (400), too large (413). */
  readonly refused: number;
  /** Users whose bindings were dropped. */
  readonly usersDropped: number;
  /** Verifications recorded from `mfa:verified`. */
  readonly verificationsRecorded: number;
  /** Times pending work passed `maxPending` and every binding was dropped instead. */
  readonly overflows: number;
}

/**
 * The work webhooks ask for, done after the answer: users to drop (each once however many events name it)
 * and verifications to record. Past `maxPending` pending users, it drops every binding once instead of
 * holding more: memory stays bounded under a flood, and the guard stays right (it looks users up again).
 */
export class WebhookInbox {
  private readonly users = new Set<string>();
  private readonly verified = new Map<string, { userId: string; factor: MfaFactor; at: number }>();
  private overflowed = false;
  private scheduled = false;
  readonly counts = { accepted: 0, refused: 0, usersDropped: 0, verificationsRecorded: 0, overflows: 0 };

  constructor(
    private readonly resolver: MfaBindingResolver,
    private readonly verifications: MfaVerifications,
    private readonly maxPending: number,
    private readonly logger: Logger,
  ) {}

  dropUsers(userIds: readonly string[]): void {
    for (const userId of userIds) {
      if (this.users.size >= this.maxPending) this.overflowed = true;
      else this.users.add(userId);
    }
    this.schedule();
  }

  recordVerification(userId: string, factor: MfaFactor, at: number): void {
    const key = `${factor}:${userId}`;
    if (this.verified.size >= this.maxPending && !this.verified.has(key)) return;
    const earlier = this.verified.get(key);
    if (!earlier || earlier.at < at) this.verified.set(key, { userId, factor, at });
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    this.scheduled = false;
    try {
      if (this.overflowed) {
        this.overflowed = false;
        this.counts.overflows += 1;
        this.counts.usersDropped += this.users.size;
        this.users.clear();
        this.logger.warn(`over ${this.maxPending} users pending from webhooks: dropped every cached binding instead`);
        await this.resolver.invalidateAll();
      }
      const users = [...this.users];
      this.users.clear();
      for (const userId of users) await this.resolver.invalidate({ userId, userIdType: 'user_id' });
      this.counts.usersDropped += users.length;
      const verified = [...this.verified.values()];
      this.verified.clear();
      for (const { userId, factor, at } of verified)
        await this.verifications.recordUserVerification(userId, factor, at);
      this.counts.verificationsRecorded += verified.length;
    } catch (error) {
      // invalidate() never rejects; a record may, with a failing store. The guard's TTL still bounds staleness.
      this.logger.error(`webhook work failed: ${(error as Error).message}`);
    }
  }
}
