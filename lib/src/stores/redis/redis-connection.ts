/**
 * The few Redis commands the binding store needs, over the two clients NestJS apps use: `ioredis` (4, 5)
 * and `redis` (node-redis 4, 5). Neither package is imported: the app passes its own client, and the
 * shapes below are what each offers.
 */
export interface RedisConnection {
  /** Whether the client is connected and ready for commands now. */
  isReady(): boolean;
  get(key: string): Promise<string | null>;
  /** SET with a TTL in ms; `onlyIfAbsent` adds NX. */
  set(key: string, value: string, ttlMs: number, onlyIfAbsent: boolean): Promise<unknown>;
  incr(key: string): Promise<number>;
  /** HSET one field, then PEXPIRE the key. */
  hsetWithTtl(key: string, field: string, value: string, ttlMs: number): Promise<unknown>;
  hgetall(key: string): Promise<Record<string, string>>;
  /** EVAL of a Lua script on one key (atomic on the server). */
  evalOnKey(script: string, key: string, args: readonly string[]): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  /** A second connection, for SUBSCRIBE (a subscribed connection runs no other command). */
  subscriber(): RedisSubscriber;
}

/** A dedicated subscriber connection, owned (and closed) by the store. */
export interface RedisSubscriber {
  /** Subscribes; `onReady` runs at every (re)connection after the first, when messages may have been lost. */
  start(channel: string, onMessage: (message: string) => void, onReady: () => void): Promise<void>;
  close(): Promise<void>;
}

/**
 * What the store accepts: an `ioredis` client or a connected `redis` (node-redis) client. Their command
 * signatures are overloaded beyond what a common type can name, so the type asks for little and the store
 * checks the rest when it is created.
 */
export interface RedisClientLike {
  duplicate(): unknown;
}

/** The part of an `ioredis` client that is used. */
interface IoRedisLike {
  readonly status: string;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ...args: (string | number)[]): Promise<unknown>;
  incr(key: string): Promise<number>;
  hset(key: string, field: string, value: string): Promise<unknown>;
  hgetall(key: string): Promise<Record<string, string>>;
  pexpire(key: string, ms: number): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  duplicate(): IoRedisLike;
  subscribe(channel: string): Promise<unknown>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
}

/** The part of a `redis` (node-redis) client that is used. */
interface NodeRedisLike {
  readonly isReady: boolean;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options: { PX: number; NX?: boolean }): Promise<unknown>;
  incr(key: string): Promise<number>;
  hSet(key: string, field: string, value: string): Promise<unknown>;
  hGetAll(key: string): Promise<Record<string, string>>;
  pExpire(key: string, ms: number): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  publish(channel: string, message: string): Promise<unknown>;
  duplicate(): NodeRedisLike;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  quit(): Promise<unknown>;
}

function isNodeRedis(client: IoRedisLike | NodeRedisLike): client is NodeRedisLike {
  return (
    typeof (client as NodeRedisLike).isReady === 'boolean' && typeof (client as NodeRedisLike).connect === 'function'
  );
}

/** Whether `value` looks like a client this store supports (checked at start-up). */
export function isRedisClient(value: unknown): value is RedisClientLike {
  const client = value as Partial<Record<string, unknown>> | null;
  return (
    client !== null &&
    typeof client === 'object' &&
    ['get', 'set', 'incr', 'publish', 'duplicate', 'on'].every((method) => typeof client[method] === 'function')
  );
}

/** Wraps an app's client. */
export function redisConnection(given: RedisClientLike): RedisConnection {
  const client = given as IoRedisLike | NodeRedisLike;
  if (isNodeRedis(client)) {
    return {
      isReady: () => client.isReady,
      get: (key) => client.get(key),
      set: (key, value, ttlMs, onlyIfAbsent) =>
        client.set(key, value, onlyIfAbsent ? { PX: ttlMs, NX: true } : { PX: ttlMs }),
      incr: (key) => client.incr(key),
      hsetWithTtl: (key, field, value, ttlMs) => client.hSet(key, field, value).then(() => client.pExpire(key, ttlMs)),
      hgetall: (key) => client.hGetAll(key),
      evalOnKey: (script, key, args) => client.eval(script, { keys: [key], arguments: [...args] }),
      publish: (channel, message) => client.publish(channel, message),
      subscriber: () => nodeRedisSubscriber(client.duplicate()),
    };
  }
  return {
    isReady: () => client.status === 'ready',
    get: (key) => client.get(key),
    set: (key, value, ttlMs, onlyIfAbsent) =>
      onlyIfAbsent ? client.set(key, value, 'PX', ttlMs, 'NX') : client.set(key, value, 'PX', ttlMs),
    incr: (key) => client.incr(key),
    hsetWithTtl: (key, field, value, ttlMs) => client.hset(key, field, value).then(() => client.pexpire(key, ttlMs)),
    hgetall: (key) => client.hgetall(key),
    evalOnKey: (script, key, args) => client.eval(script, 1, key, ...args),
    publish: (channel, message) => client.publish(channel, message),
    subscriber: () => ioRedisSubscriber(client.duplicate()),
  };
}

function ioRedisSubscriber(connection: IoRedisLike): RedisSubscriber {
  return {
    async start(channel, onMessage, onReady) {
      let readyOnce = connection.status === 'ready';
      connection.on('ready', () => {
        if (readyOnce) onReady();
        readyOnce = true;
      });
      connection.on('message', (from: string, message: string) => {
        if (from === channel) onMessage(message);
      });
      // Errors are reported by the store's own calls; a listener keeps them from being thrown as events.
      connection.on('error', () => undefined);
      await connection.subscribe(channel);
    },
    async close() {
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}

function nodeRedisSubscriber(connection: NodeRedisLike): RedisSubscriber {
  return {
    async start(channel, onMessage, onReady) {
      let readyOnce = false;
      connection.on('ready', () => {
        if (readyOnce) onReady();
        readyOnce = true;
      });
      connection.on('error', () => undefined);
      await connection.connect();
      await connection.subscribe(channel, onMessage);
    },
    async close() {
      await connection.quit().catch(() => undefined);
    },
  };
}
