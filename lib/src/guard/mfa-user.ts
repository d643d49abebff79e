import type { ExecutionContext } from '@nestjs/common';
import type { MfaUserRef } from '../mfa-management.types.js';
import { carrierOf, isObject } from './mfa-transports.js';

/**
 * The user of what carries it (see {@link defaultMfaUser}): the `id`, `sub` or `userId` (a string or a
 * finite number) of its `user`, or for a socket.io socket of `socket.data.user`.
 */
export function userRefOf(carrier: unknown, type: string): MfaUserRef | undefined {
  if (!isObject(carrier)) return undefined;
  let user = carrier['user'];
  if (user === undefined && type === 'ws' && isObject(carrier['data'])) user = carrier['data']['user'];
  if (!isObject(user)) return undefined;
  const id = user['id'] ?? user['sub'] ?? user['userId'];
  if (typeof id === 'string') return { userId: id };
  if (typeof id === 'number' && Number.isFinite(id)) return { userId: String(id) };
  return undefined;
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
  const type = context.getType();
  return userRefOf(carrierOf(context, type), type);
}
