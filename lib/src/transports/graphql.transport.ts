import { stepUpChallenge } from '../contracts/denial.js';
import { MfaGraphQLDenialError } from '../errors/mfa-graphql-denial.error.js';
import { isObject, setHeader, userOnCarrier, type MfaTransport } from './mfa-transport.js';

/** The GraphQL context of a resolver call (the third argument), whatever the driver. */
function graphqlContext(context: { getArgByIndex(index: number): unknown }): Record<string, unknown> | undefined {
  const gql = context.getArgByIndex(2);
  return isObject(gql) ? gql : undefined;
}

/**
 * GraphQL (Apollo, Mercurius): the user is on the request in the GraphQL context (`req`, as both Nest
 * drivers put it there), one operation is one request (its fields share the context), and a denial is an
 * {@link MfaGraphQLDenialError}, which GraphQL servers turn into an error entry whose `extensions` are the
 * body. Needs nothing from `@nestjs/graphql`.
 */
export const graphqlTransport: MfaTransport = {
  type: 'graphql',
  userSource: "the GraphQL context's req.user",
  prepare: () => undefined,
  carrier(context) {
    const gql = graphqlContext(context);
    if (!gql) return undefined;
    return isObject(gql['req']) ? gql['req'] : isObject(gql['request']) ? gql['request'] : gql;
  },
  response(context) {
    const gql = graphqlContext(context);
    if (!gql) return undefined;
    const req = gql['req'];
    // Apollo on Express: req.res; Mercurius: the context's reply.
    return gql['res'] ?? gql['reply'] ?? (isObject(req) ? req['res'] : undefined);
  },
  requestKey: (context) => graphqlContext(context),
  user: (carrier) => userOnCarrier(carrier),
  denial(denial, reply) {
    const body = reply.body();
    if (denial.code === 'MFA_UNAVAILABLE') setHeader(reply.response, 'Retry-After', String(denial.retryAfterSeconds));
    if (denial.code === 'MFA_STEP_UP_REQUIRED') setHeader(reply.response, 'WWW-Authenticate', stepUpChallenge(denial));
    return new MfaGraphQLDenialError(denial, body);
  },
};
