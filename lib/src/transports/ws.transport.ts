import { isObject, loadExceptionClass, userOnCarrier, type MfaTransport } from './mfa-transport.js';

const wsException: Parameters<typeof loadExceptionClass>[2] = {};

/**
 * WebSockets (socket.io, ws): the user is `client.user` (or socket.io's `socket.data.user`), one message
 * is one request (its payload, never the socket, which outlives it), and a denial is the app's own
 * `WsException` with the body, loaded from `@nestjs/websockets` the first time a message is checked.
 */
export const wsTransport: MfaTransport = {
  type: 'ws',
  userSource: 'client.user (or socket.data.user)',
  prepare: () => loadExceptionClass('@nestjs/websockets', 'WsException', wsException),
  carrier: (context) => context.getArgByIndex(0),
  response: () => undefined,
  requestKey(context) {
    const payload: unknown = context.getArgByIndex(1);
    return isObject(payload) ? payload : undefined;
  },
  user: (carrier) => userOnCarrier(carrier, true),
  denial: (_denial, reply) => new wsException.value!(reply.body()),
};
