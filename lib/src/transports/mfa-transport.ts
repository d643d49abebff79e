import type { ExecutionContext } from '@nestjs/common';
import type { MfaDenial } from '../contracts/denial.js';
import type { MfaGuardSettings } from '../contracts/settings.js';
import type { MfaUserRef } from '../contracts/user-ref.js';

/** What the guard hands a transport to express a denial: the request's parts, found through the guard's hooks. */
export interface MfaReply {
  readonly context: ExecutionContext;
  /** What carries the user (the guard's `getRequest`). */
  readonly carrier: unknown;
  /** Where headers go, when the transport has a response (the guard's `getResponse`). */
  readonly response: unknown;
  readonly settings: MfaGuardSettings;
  /** The denial's JSON body (the guard's `buildErrorBody`), built only when needed. */
  body(): object;
}

/**
 * One context type as the guard sees it: where the user is, what counts as one request, and how a denial
 * is expressed. To add a transport, write one file that implements this and list it in `registry.ts`.
 */
export interface MfaTransport {
  /** Nest's context type: `http`, `graphql`, `ws`, `rpc`. */
  readonly type: string;
  /** Where {@link user} looks, as a log line names it (`request.user`). */
  readonly userSource: string;
  /**
   * Loads what the transport needs, the first time (its package's exception class); undefined once ready.
   * Nothing is loaded for a transport the app never uses.
   */
  prepare(): Promise<void> | undefined;
  /** What carries the user. */
  carrier(context: ExecutionContext): unknown;
  /** Where headers go (HTTP's response, the one behind a GraphQL request), else undefined. */
  response(context: ExecutionContext): unknown;
  /**
   * What stands for this one request, so that a second MFA guard on it reuses an answer that took I/O.
   * Never something that outlives the request (a socket): reuse across requests is the cache's business.
   */
  requestKey(context: ExecutionContext, carrier: unknown): object | undefined;
  /** The user on what carries it, when no `resolveUser` is given. */
  user(carrier: unknown): MfaUserRef | undefined;
  /** The error to throw for a denial, in the transport's idiom (headers set on the way). */
  denial(denial: MfaDenial, reply: MfaReply): Error;
}

type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null;
}

/** Sets a header on a response (Express, Fastify), when it is one; says whether it did. */
export function setHeader(response: unknown, name: string, value: string): boolean {
  const target = response as { header?: (name: string, value: string) => unknown } | undefined;
  if (!target || typeof target.header !== 'function') return false;
  target.header(name, value);
  return true;
}

/**
 * The user of what carries it: the `id`, `sub` or `userId` (a string or a finite number) of its `user`,
 * or of `data.user` when `withData` (socket.io keeps per-socket data there).
 */
export function userOnCarrier(carrier: unknown, withData = false): MfaUserRef | undefined {
  if (!isObject(carrier)) return undefined;
  let user = carrier['user'];
  if (user === undefined && withData && isObject(carrier['data'])) user = carrier['data']['user'];
  if (!isObject(user)) return undefined;
  const id = user['id'] ?? user['sub'] ?? user['userId'];
  if (typeof id === 'string') return { userId: id };
  if (typeof id === 'number' && Number.isFinite(id)) return { userId: String(id) };
  return undefined;
}

interface ExceptionClass {
  new (error: string | object): Error;
}

/**
 * Loads an exception class from the app's own copy of an optional package (Nest's filters test
 * `instanceof` against it): `holder.value` is set once loaded.
 */
export function loadExceptionClass(
  specifier: string,
  name: string,
  holder: { value?: ExceptionClass; loading?: Promise<void> },
): Promise<void> | undefined {
  if (holder.value !== undefined) return undefined;
  return (holder.loading ??= (async () => {
    const mod = (await import(specifier)) as Obj & { default?: Obj };
    const found = mod[name] ?? mod.default?.[name];
    if (typeof found !== 'function') throw new Error(`${specifier} does not export ${name}`);
    holder.value = found as ExceptionClass;
  })());
}
