import type { ExecutionContext } from '@nestjs/common';
import { MfaGraphQLDenialError } from '../errors/mfa-graphql-denial.error.js';
import { MfaNotBoundException, MfaUnavailableException, MfaUserUnresolvedException } from '../errors/mfa.exceptions.js';
import type { MfaDenial } from './mfa-denial.js';

/** The context types the guard reads without help: Nest's HTTP, GraphQL, WebSocket and microservice ones. */
export type MfaTransport = 'http' | 'graphql' | 'ws' | 'rpc';

type Obj = Record<string, unknown>;

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null;
}

/** Whether the guard knows where the request and the user of a context type are. */
export function isKnownTransport(type: string): type is MfaTransport {
  return type === 'http' || type === 'graphql' || type === 'ws' || type === 'rpc';
}

/**
 * The object that carries the user of a context: the HTTP request; for GraphQL the request in the
 * GraphQL context (`req`, as both Nest drivers put it there), else the context itself; the socket of a
 * WebSocket message; the payload of a microservice message.
 */
export function carrierOf(context: ExecutionContext, type: string): unknown {
  switch (type) {
    case 'http':
    case 'ws':
    case 'rpc':
      return context.getArgByIndex(0);
    case 'graphql': {
      const gql: unknown = context.getArgByIndex(2);
      if (!isObject(gql)) return undefined;
      return isObject(gql['req']) ? gql['req'] : isObject(gql['request']) ? gql['request'] : gql;
    }
    default:
      return undefined;
  }
}

/** The response of a context, where `Retry-After` goes: HTTP's, or the one behind a GraphQL request. */
export function responseOf(context: ExecutionContext, type: string): unknown {
  if (type === 'http') return context.getArgByIndex(1);
  if (type !== 'graphql') return undefined;
  const gql: unknown = context.getArgByIndex(2);
  if (!isObject(gql)) return undefined;
  const req = gql['req'];
  // Apollo on Express: req.res; Mercurius: the context's reply.
  return gql['res'] ?? gql['reply'] ?? (isObject(req) ? req['res'] : undefined);
}

/**
 * What stands for "this one request", so that a second MFA guard on it reuses the first one's answer:
 * the HTTP request (what carries the user), the GraphQL context (one per operation, shared by its fields), the microservice
 * message's context, the WebSocket message's payload when it is an object, else what carries the user.
 * Never the socket: it outlives any one message, and reuse across messages is the cache's business.
 */
export function requestKeyOf(context: ExecutionContext, type: string, carrier: unknown): object | undefined {
  const arg: unknown =
    type === 'graphql'
      ? context.getArgByIndex(2)
      : type === 'ws' || type === 'rpc'
        ? context.getArgByIndex(1)
        : carrier;
  return isObject(arg) ? arg : undefined;
}

interface ExceptionClass {
  new (error: string | object): Error;
}

// The WebSocket and microservice exception classes come from the app's own copy of those optional packages,
// loaded the first time a context of that type is checked: Nest's filters test `instanceof` against them.
const exceptionClasses: { ws?: ExceptionClass; rpc?: ExceptionClass } = {};
const loading: { ws?: Promise<void>; rpc?: Promise<void> } = {};

/** Whether the exceptions of a transport are at hand (HTTP's and GraphQL's always are). */
export function isTransportReady(type: string): boolean {
  return (type !== 'ws' && type !== 'rpc') || exceptionClasses[type] !== undefined;
}

/** Loads the exception class of a WebSocket or microservice context, once per process. */
export function loadTransport(type: 'ws' | 'rpc'): Promise<void> {
  return (loading[type] ??= (async () => {
    const [specifier, name] =
      type === 'ws' ? ['@nestjs/websockets', 'WsException'] : ['@nestjs/microservices', 'RpcException'];
    const mod = (await import(specifier)) as Obj & { default?: Obj };
    const found = mod[name] ?? mod.default?.[name];
    if (typeof found !== 'function') throw new Error(`${specifier} does not export ${name}`);
    exceptionClasses[type] = found as ExceptionClass;
  })());
}

// gRPC status codes (grpc/doc/statuscodes.md) for the denials' HTTP statuses.
const GRPC_STATUS = { 401: 16, 403: 7, 503: 14 } as const; // UNAUTHENTICATED, PERMISSION_DENIED, UNAVAILABLE

/** Whether a microservice message came over gRPC: its context argument is the call's `Metadata`. */
function isGrpc(context: ExecutionContext): boolean {
  const metadata: unknown = context.getArgByIndex(1);
  return isObject(metadata) && typeof metadata['getMap'] === 'function' && typeof metadata['get'] === 'function';
}

/**
 * The error that carries a denial in a context's own idiom. Over gRPC the `RpcException` holds what
 * gRPC servers send as a status: the status code for the denial, the body as JSON in `details`.
 */
export function denialError(context: ExecutionContext, type: string, denial: MfaDenial, body: object): Error {
  switch (type) {
    case 'graphql':
      return new MfaGraphQLDenialError(denial, body);
    case 'ws':
      return new exceptionClasses.ws!(body);
    case 'rpc': {
      if (!isGrpc(context)) return new exceptionClasses.rpc!(body);
      const message = (body as { message?: unknown }).message;
      return new exceptionClasses.rpc!({
        code: GRPC_STATUS[denial.status],
        message: typeof message === 'string' ? message : denial.code,
        details: JSON.stringify(body),
      });
    }
    default:
      if (denial.code === 'MFA_USER_UNRESOLVED') return new MfaUserUnresolvedException(body);
      if (denial.code === 'MFA_NOT_BOUND') return new MfaNotBoundException(body);
      return new MfaUnavailableException(body, denial.retryAfterSeconds);
  }
}
