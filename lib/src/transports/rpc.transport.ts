import { isObject, loadExceptionClass, userOnCarrier, type MfaTransport } from './mfa-transport.js';

const rpcException: Parameters<typeof loadExceptionClass>[2] = {};

// gRPC status codes (grpc/doc/statuscodes.md) for the denials' HTTP statuses.
const GRPC_STATUS = { 401: 16, 403: 7, 503: 14 } as const; // UNAUTHENTICATED, PERMISSION_DENIED, UNAVAILABLE

/** Whether a microservice message came over gRPC: its context argument is the call's `Metadata`. */
function isGrpc(metadata: unknown): boolean {
  return isObject(metadata) && typeof metadata['getMap'] === 'function' && typeof metadata['get'] === 'function';
}

/**
 * Microservices (TCP, gRPC, Redis, NATS, ...): the user is `payload.user`, one message is one request (its
 * context), and a denial is the app's own `RpcException` with the body, loaded from
 * `@nestjs/microservices` the first time a message is checked. Over gRPC it holds what gRPC servers send
 * as a status: the code for the denial, the body as JSON in `details`.
 */
export const rpcTransport: MfaTransport = {
  type: 'rpc',
  userSource: 'payload.user',
  prepare: () => loadExceptionClass('@nestjs/microservices', 'RpcException', rpcException),
  carrier: (context) => context.getArgByIndex(0),
  response: () => undefined,
  requestKey(context) {
    const messageContext: unknown = context.getArgByIndex(1);
    return isObject(messageContext) ? messageContext : undefined;
  },
  user: (carrier) => userOnCarrier(carrier),
  denial(denial, reply) {
    const body = reply.body();
    if (!isGrpc(reply.context.getArgByIndex(1))) return new rpcException.value!(body);
    const message = (body as { message?: unknown }).message;
    return new rpcException.value!({
      code: GRPC_STATUS[denial.status],
      message: typeof message === 'string' ? message : denial.code,
      details: JSON.stringify(body),
    });
  },
};
