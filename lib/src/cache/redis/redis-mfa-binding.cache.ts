import { Logger } from '@nestjs/common';
import { withDeadline } from '../../deadline.js';
import { MfaOptionsError } from '../../errors/mfa-options.error.js';
import { StateLog } from '../../state-log.js';
import { InMemoryMfaBindingCache } from '../in-memory-mfa-binding.cache.js';
import type { MfaBindingCache } from '../mfa-binding-cache.interface.js';
import { isRedisClient, redisConnection, type RedisClientLike, type RedisConnection } from './redis-connection.js';

/** Options of {@link RedisMfaBindingCache}. */
export interface RedisMfaBindingCacheOptions {
  /** The app's own client: `ioredis` (4, 5) or a connected `redis` (node-redis 4, 5). */
  client: RedisClientLike;
  /** Prefix of every key and of the channel. Default `genauth-mfa:`. */
  keyPrefix?: string;
  /** How long a replica keeps an answer in memory before asking Redis again, in ms. Default 5000. */
  localTtlMs?: number;
  /** Most entries of the in-memory level. Default 100000. */
  localMaxEntries?: number;
  /** Longest wait for one Redis command, in ms; past it Redis is skipped for that call. Default 100. */
  timeoutMs?: number;
  /**
   * How long after a change a lookup that started before it may still finish, in ms: no such answer is
   * stored during this window. Keep it above the module's `timeoutMs` × (1 + `maxRetries`). Default 30000.
   */
  invalidationWindowMs?: number;
}

/** What a changed user's shared entry holds during the invalidation window. */
const TOMBSTONE = '-';

type Message = { kind: 'delete'; key: string } | { kind: 'clear' };

/**
 * A binding cache shared by every replica through Redis, with an in-memory level in front of it.
 *
 * - A hit in memory answers at once (no I/O on the warm path); a miss asks Redis, then GenAuth.
 * - A change (`delete`, after `setUsersMfaStatus` or `invalidate()`) replaces the shared entry with a
 *   tombstone for `invalidationWindowMs` and tells every replica, over pub/sub, to drop its in-memory
 *   entry. Answers are stored with NX, so a lookup that started before the change stores nothing.
 * - A replica whose subscription dropped flushes its memory when it reconnects: a lost message leaves a
 *   stale allow for at most `localTtlMs`.
 * - Redis down, slow or refusing: every command is bounded by `timeoutMs`, a failure counts as a miss,
 *   one warning is logged when Redis goes down and one line when it is back, and meanwhile the guard
 *   answers from memory and GenAuth.
 */
export class RedisMfaBindingCache implements MfaBindingCache {
  private readonly logger = new Logger('MfaBindingCache');
  private readonly redis: RedisConnection;
  private readonly local: InMemoryMfaBindingCache;
  private readonly prefix: string;
  private readonly channel: string;
  private readonly localTtlMs: number;
  private readonly timeoutMs: number;
  private readonly windowMs: number;
  private readonly subscriber;
  private readonly started: Promise<void>;
  /** Keys changed lately (by any replica): no answer is stored for them until the time given. */
  private readonly tombstones = new Map<string, number>();
  /** Bumped by `clear()`: entries of older generations are ignored. */
  private generation = '0';
  private readonly state = new StateLog(this.logger, 'Redis', 'answering from memory and GenAuth');

  constructor(options: RedisMfaBindingCacheOptions) {
    if (!isRedisClient(options?.client)) {
      throw new MfaOptionsError('cache.store', 'RedisMfaBindingCache needs an ioredis or node-redis client');
    }
    this.redis = redisConnection(options.client);
    this.prefix = options.keyPrefix ?? 'genauth-mfa:';
    this.channel = `${this.prefix}invalidate`;
    this.localTtlMs = options.localTtlMs ?? 5000;
    this.timeoutMs = options.timeoutMs ?? 100;
    this.windowMs = options.invalidationWindowMs ?? 30_000;
    this.local = new InMemoryMfaBindingCache(options.localMaxEntries ?? 100_000);
    this.subscriber = this.redis.subscriber();
    this.started = this.subscriber
      .start(
        this.channel,
        (message) => this.onMessage(message),
        () => this.resync('reconnected'),
      )
      .then(() => this.resync('started'))
      .catch((error: unknown) => this.warn('subscribe', error));
  }

  /** Resolves once the subscription is in place (or failed, with a warning). */
  ready(): Promise<void> {
    return this.started;
  }

  get(key: string): number | undefined | Promise<number | undefined> {
    const local = this.local.get(key);
    if (local !== undefined) return local;
    return this.bounded(this.redis.get(this.redisKey(key))).then(
      (value) => {
        this.state.succeeded();
        const mask = value === null || value === TOMBSTONE ? undefined : Number(value);
        if (mask === undefined || !Number.isInteger(mask) || mask < 0 || mask > 15) return undefined;
        if (!this.blocked(key)) this.local.set(key, mask, this.localTtlMs);
        return mask;
      },
      (error: unknown) => {
        this.warn('read', error);
        return undefined;
      },
    );
  }

  set(key: string, mask: number, ttlMs: number): Promise<void> | void {
    if (ttlMs <= 0 || this.blocked(key)) return;
    this.local.set(key, mask, Math.min(ttlMs, this.localTtlMs));
    return this.bounded(this.redis.set(this.redisKey(key), String(mask), ttlMs, true)).then(
      () => this.state.succeeded(),
      (error: unknown) => this.warn('write', error),
    );
  }

  async delete(key: string): Promise<void> {
    this.forget(key);
    await this.bounded(
      Promise.all([
        this.redis.set(this.redisKey(key), TOMBSTONE, this.windowMs, false),
        this.redis.publish(this.channel, JSON.stringify({ kind: 'delete', key } satisfies Message)),
      ]),
    );
  }

  async clear(): Promise<void> {
    this.local.clear();
    this.generation = String(await this.bounded(this.redis.incr(`${this.prefix}generation`)));
    await this.bounded(this.redis.publish(this.channel, JSON.stringify({ kind: 'clear' } satisfies Message)));
  }

  /** Closes the subscriber connection this store opened (the app's own client stays open). */
  async close(): Promise<void> {
    await this.subscriber.close();
  }

  private onMessage(text: string): void {
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch {
      return;
    }
    if (message.kind === 'delete' && typeof message.key === 'string') this.forget(message.key);
    if (message.kind === 'clear') this.resync('cleared');
  }

  /** Drops everything held in memory and reads the current generation (messages may have been missed). */
  private resync(why: string): void {
    this.local.clear();
    this.bounded(this.redis.get(`${this.prefix}generation`)).then(
      (generation) => {
        this.generation = generation ?? '0';
        if (why === 'reconnected') this.logger.log('Redis subscription back: in-memory bindings flushed');
      },
      (error: unknown) => this.warn('read', error),
    );
  }

  private forget(key: string): void {
    this.local.delete(key);
    const now = Date.now();
    // Changes are rare; the expired marks go whenever the list grows, so it stays small.
    if (this.tombstones.size >= 1000) {
      for (const [old, until] of this.tombstones) if (until <= now) this.tombstones.delete(old);
    }
    this.tombstones.set(key, now + this.windowMs);
  }

  private blocked(key: string): boolean {
    const until = this.tombstones.get(key);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.tombstones.delete(key);
    return false;
  }

  private redisKey(key: string): string {
    return `${this.prefix}${this.generation}:${key}`;
  }

  private bounded<T>(command: Promise<T>): Promise<T> {
    return withDeadline(command, this.timeoutMs, () => new Error(`no answer from Redis within ${this.timeoutMs} ms`));
  }

  private warn(operation: string, error: unknown): void {
    this.state.failed(operation, error);
  }

  /** Whether the last Redis command failed (for health checks); a failure is logged once, as is the return. */
  get isDown(): boolean {
    return this.state.down;
  }
}
