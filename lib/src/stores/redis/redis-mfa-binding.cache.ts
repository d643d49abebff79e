import { Logger } from '@nestjs/common';
import type { MfaAttemptCount, MfaAttemptStore } from '../../contracts/attempts.js';
import type { MfaBindingCache, MfaBindingChange, MfaStoreHealth } from '../../contracts/binding-store.js';
import { MFA_FACTORS, type MfaFactor } from '../../contracts/mfa-factor.js';
import type { MfaFactorTimes, MfaVerificationStore } from '../../contracts/verification.js';
import { MfaOptionsError } from '../../errors/mfa-options.error.js';
import { durationMs, integer, shown } from '../../options/option-checks.js';
import { withDeadline } from '../../util/deadline.js';
import { StateLog } from '../../util/state-log.js';
import { changeMessage, InvalidationInbox } from './invalidation-inbox.js';
import { attemptCount, COUNT_SCRIPT, PEEK_SCRIPT } from './redis-attempts.js';
import { isRedisClient, redisConnection, type RedisClientLike, type RedisConnection } from './redis-connection.js';

/** Options of {@link RedisMfaBindingCache}. Checked when the store is created. */
export interface RedisMfaBindingCacheOptions {
  /** The app's own client: `ioredis` (4, 5) or a connected `redis` (node-redis 4, 5). */
  client: RedisClientLike;
  /** Prefix of every key and of the channel: 1 to 100 printable characters, no space. Default `genauth-mfa:`. */
  keyPrefix?: string;
  /** How long a replica answers from memory before asking Redis again, in ms. Default 5000. */
  localTtlMs?: number;
  /** Most users a replica keeps in memory. Default 100000. */
  localMaxEntries?: number;
  /** Longest wait for one Redis command, in ms; past it Redis is skipped for that call. Default 100. */
  timeoutMs?: number;
  /**
   * How long after a change the shared entry stays a tombstone, in ms: an answer from a lookup that started
   * before the change is not stored over it. Keep it above the module's `timeoutMs` × (1 + `maxRetries`).
   * Default 30000.
   */
  invalidationWindowMs?: number;
}

/** What a changed user's shared entry holds during the invalidation window. */
const TOMBSTONE = '-';
/** The only values this store writes for a binding: a mask, in decimal, from 0 to 15. */
const STORED_MASK = /^(?:[0-9]|1[0-5])$/;

/**
 * A binding store shared by every replica through Redis, with a pub/sub channel that keeps each
 * replica's in-memory level (the guard's) in step.
 *
 * - The guard answers from its memory for up to `localTtlMs` (no I/O on the warm path), then asks Redis,
 *   then GenAuth.
 * - A change (`delete`, after `setUsersMfaStatus` or `invalidate()`) replaces the shared entry with a
 *   tombstone for `invalidationWindowMs` and tells every replica, over pub/sub, to drop that user from
 *   memory. Answers are stored with NX, so a lookup that started before the change stores nothing.
 * - A replica whose subscription dropped drops its memory when it reconnects: a lost message leaves a
 *   stale allow for at most `localTtlMs`.
 * - Every message on the channel is understood or ignored (counted, logged once); bursts are coalesced.
 * - It also keeps the step-up record and the attempts (used codes, wrong codes, sends) for every replica.
 * - Redis down, slow or refusing: every command is bounded by `timeoutMs`, a failure counts as a miss,
 *   one warning is logged when Redis goes down and one line when it is back.
 */
export class RedisMfaBindingCache implements MfaBindingCache, MfaVerificationStore, MfaAttemptStore {
  readonly memoryTtlMs: number;
  readonly memoryMaxEntries: number;
  private readonly logger = new Logger('MfaBindingCache');
  private readonly redis: RedisConnection;
  private readonly prefix: string;
  private readonly channel: string;
  private readonly timeoutMs: number;
  private readonly windowMs: number;
  private readonly subscriber;
  private readonly started: Promise<void>;
  private readonly listeners = new Set<(change: MfaBindingChange) => void>();
  private readonly inbox: InvalidationInbox;
  /** Bumped by `clear()`: entries of older generations are ignored. */
  private generation = '0';
  private readonly state = new StateLog(this.logger, { what: 'Redis', meanwhile: 'answering from memory and GenAuth' });

  constructor(options: RedisMfaBindingCacheOptions) {
    if (options === null || typeof options !== 'object' || !isRedisClient(options.client)) {
      throw new MfaOptionsError('cache.store', 'RedisMfaBindingCache needs an ioredis or node-redis client');
    }
    this.prefix = keyPrefixOption(options.keyPrefix);
    this.memoryTtlMs = durationMs(options.localTtlMs, 'RedisMfaBindingCache.localTtlMs', 5000, 1);
    this.memoryMaxEntries = integer(options.localMaxEntries, 'RedisMfaBindingCache.localMaxEntries', 100_000, 1, 1e7);
    this.timeoutMs = durationMs(options.timeoutMs, 'RedisMfaBindingCache.timeoutMs', 100, 1);
    this.windowMs = durationMs(options.invalidationWindowMs, 'RedisMfaBindingCache.invalidationWindowMs', 30_000, 1);
    this.redis = redisConnection(options.client);
    this.channel = `${this.prefix}invalidate`;
    this.inbox = new InvalidationInbox(
      (change) => this.tell(change),
      () => this.logger.warn(`ignored a message on ${this.channel} that this store does not publish (logged once)`),
    );
    this.subscriber = this.redis.subscriber();
    // Read at once, not after the subscription: a Redis that is down from the start is reported from the start.
    this.readGeneration();
    this.started = this.subscriber
      .start(
        this.channel,
        (message) => this.inbox.receive(message),
        () => this.resync('reconnected'),
      )
      .then(() => this.resync('started'))
      .catch((error: unknown) => this.state.failed('subscribe', error));
  }

  /** Resolves once the subscription is in place (or failed, with a warning). */
  ready(): Promise<void> {
    return this.started;
  }

  /** Messages on the channel that were ignored since start-up (not understood, or too long). */
  get ignoredMessages(): number {
    return this.inbox.ignored;
  }

  get(key: string): Promise<number | undefined> {
    return this.bounded(this.redis.get(this.redisKey(key))).then(
      (value) => {
        this.state.succeeded();
        return typeof value === 'string' && STORED_MASK.test(value) ? Number(value) : undefined;
      },
      (error: unknown) => {
        this.state.failed('read', error);
        return undefined;
      },
    );
  }

  set(key: string, mask: number, ttlMs: number): Promise<void> | void {
    if (ttlMs <= 0) return;
    return this.bounded(this.redis.set(this.redisKey(key), String(mask), ttlMs, true)).then(
      () => this.state.succeeded(),
      (error: unknown) => this.state.failed('write', error),
    );
  }

  async delete(key: string): Promise<void> {
    await this.bounded(
      Promise.all([
        this.redis.set(this.redisKey(key), TOMBSTONE, this.windowMs, false),
        this.redis.publish(this.channel, changeMessage({ kind: 'delete', key })),
      ]),
    );
  }

  async clear(): Promise<void> {
    this.generation = String(await this.bounded(this.redis.incr(`${this.prefix}generation`)));
    await this.bounded(this.redis.publish(this.channel, changeMessage({ kind: 'clear' })));
  }

  /** Records a session's verification, shared by every replica (the step-up record). */
  recordVerification(sessionKey: string, factor: MfaFactor, at: number, ttlMs: number): Promise<void> {
    return this.bounded(this.redis.hsetWithTtl(this.verificationKey(sessionKey), factor, String(at), ttlMs)).then(() =>
      this.state.succeeded(),
    );
  }

  /** A session's verifications; a failure rejects (the caller counts it as nothing verified). */
  async verifications(sessionKey: string): Promise<MfaFactorTimes> {
    const stored = await this.bounded(this.redis.hgetall(this.verificationKey(sessionKey)));
    this.state.succeeded();
    const times: MfaFactorTimes = {};
    for (const factor of MFA_FACTORS) {
      const value = stored[factor];
      if (typeof value === 'string' && /^\d{1,15}$/.test(value)) times[factor] = Number(value);
    }
    return times;
  }

  /** Takes a key once on every replica (SET NX); a failure rejects (the caller refuses the code). */
  takeOnce(key: string, ttlMs: number): Promise<boolean> {
    return this.bounded(this.redis.set(`${this.prefix}attempt:${key}`, '1', ttlMs, true)).then((r) => r === 'OK');
  }

  count(key: string, windowMs: number): Promise<MfaAttemptCount> {
    const command = this.redis.evalOnKey(COUNT_SCRIPT, `${this.prefix}attempt:${key}`, [String(windowMs)]);
    return this.bounded(command).then(attemptCount);
  }

  peek(key: string): Promise<MfaAttemptCount> {
    return this.bounded(this.redis.evalOnKey(PEEK_SCRIPT, `${this.prefix}attempt:${key}`, [])).then(attemptCount);
  }

  watch(listener: (change: MfaBindingChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  health(): MfaStoreHealth {
    if (!this.redis.isReady()) return { status: 'down', detail: 'the Redis client is not connected' };
    return this.state.down ? { status: 'down', detail: 'the last Redis command failed' } : { status: 'up' };
  }

  /** Whether Redis is down (for health checks); a failure is logged once, as is the return. */
  get isDown(): boolean {
    return this.health().status === 'down';
  }

  /** Closes the subscriber connection this store opened (the app's own client stays open). */
  async close(): Promise<void> {
    this.listeners.clear();
    await this.subscriber.close();
  }

  private tell(change: MfaBindingChange): void {
    // A clear made by another replica moved the generation: read it before this replica stores anything.
    if (change.kind === 'clear') this.readGeneration();
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.state.failed('notify', error);
      }
    }
  }

  /** Messages may have been missed: every replica's memory of this store is dropped. */
  private resync(why: 'started' | 'reconnected'): void {
    this.inbox.push({ kind: 'clear' });
    if (why === 'reconnected') this.logger.log('Redis subscription back: in-memory bindings flushed');
  }

  private readGeneration(): void {
    this.bounded(this.redis.get(`${this.prefix}generation`)).then(
      (generation) => {
        this.state.succeeded();
        this.generation = typeof generation === 'string' && /^\d{1,20}$/.test(generation) ? generation : '0';
      },
      (error: unknown) => this.state.failed('read', error),
    );
  }

  private verificationKey(sessionKey: string): string {
    return `${this.prefix}verified:${sessionKey}`;
  }

  private redisKey(key: string): string {
    return `${this.prefix}${this.generation}:${key}`;
  }

  private bounded<T>(command: Promise<T>): Promise<T> {
    return withDeadline(command, this.timeoutMs, () => new Error(`no answer from Redis within ${this.timeoutMs} ms`));
  }
}

function keyPrefixOption(value: unknown): string {
  if (value === undefined) return 'genauth-mfa:';
  if (typeof value !== 'string' || !/^[\x21-\x7e]{1,100}$/.test(value)) {
    throw new MfaOptionsError(
      'RedisMfaBindingCache.keyPrefix',
      `it must be 1 to 100 printable characters without spaces (got ${shown(value)})`,
    );
  }
  return value;
}
