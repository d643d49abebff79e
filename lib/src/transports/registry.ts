import type { ExecutionContext } from '@nestjs/common';
import type { MfaUserRef } from '../contracts/user-ref.js';
import { mfaHttpException } from '../errors/mfa.exceptions.js';
import { graphqlTransport } from './graphql.transport.js';
import { httpTransport } from './http.transport.js';
import { userOnCarrier, type MfaTransport } from './mfa-transport.js';
import { rpcTransport } from './rpc.transport.js';
import { wsTransport } from './ws.transport.js';

/** The transports the guard reads without help, by Nest's context type. A new transport is one line here. */
const TRANSPORTS: ReadonlyMap<string, MfaTransport> = new Map(
  [httpTransport, graphqlTransport, wsTransport, rpcTransport].map((transport) => [transport.type, transport]),
);

/**
 * A context type the guard cannot read: nothing carries a user (so the documented 401, and a warning
 * naming the fix) unless a guard subclass's `getRequest` says what does; a denial is HTTP's exception,
 * which Nest's default filter answers.
 */
const unknownTransport: MfaTransport = {
  type: 'unknown',
  userSource: 'nothing (the guard cannot read this context type)',
  prepare: () => undefined,
  carrier: () => undefined,
  response: () => undefined,
  requestKey: () => undefined,
  user: (carrier) => userOnCarrier(carrier),
  denial: (denial, reply) => mfaHttpException(denial, reply.body()),
};

/** The transport of a context type; HTTP, by far the most common, is found without a lookup. */
export function transportOf(type: string): MfaTransport {
  if (type === 'http') return httpTransport;
  return TRANSPORTS.get(type) ?? unknownTransport;
}

/** Whether the guard knows where the request and the user of a context type are. */
export function isKnownTransport(type: string): boolean {
  return TRANSPORTS.has(type);
}

/**
 * The user the guard finds when no `resolveUser` is given: `user` on the HTTP request, on the request of
 * a GraphQL context, on a WebSocket client (or socket.io's `socket.data.user`), or on a microservice
 * message's payload. Call it from `resolveUser` to keep these and add another source.
 * @example
 * ```ts
 * resolveUser: (context) =>
 *   isGrpc(context) ? userFromMetadata(context.switchToRpc().getContext()) : defaultMfaUser(context)
 * ```
 */
export function defaultMfaUser(context: ExecutionContext): MfaUserRef | undefined {
  const transport = transportOf(context.getType());
  return transport.user(transport.carrier(context));
}
