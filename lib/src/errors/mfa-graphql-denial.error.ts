import { IntrinsicException } from '@nestjs/common';
import type { MfaDenial } from '../contracts/denial.js';

/**
 * A denial in a GraphQL operation. GraphQL servers turn it into an entry of `errors` whose `extensions`
 * are the denial's body (the same fields as the HTTP body) with `code` set to the denial's code, e.g.
 * `MFA_NOT_BOUND`. `statusCode` is the HTTP status, which Mercurius uses when no data is returned.
 * It is not an `HttpException`, so that Apollo's driver keeps the code rather than mapping the status.
 */
export class MfaGraphQLDenialError extends IntrinsicException {
  /** The body of the denial, with `code`: GraphQL copies it into the error's `extensions`. */
  readonly extensions: Record<string, unknown>;
  /** The HTTP status of the denial (401, 403 or 503). */
  readonly statusCode: number;

  constructor(
    /** Why the guard refused. */
    readonly denial: MfaDenial,
    body: object,
  ) {
    const message = (body as { message?: unknown }).message;
    super(typeof message === 'string' ? message : denial.code);
    this.name = 'MfaGraphQLDenialError';
    this.statusCode = denial.status;
    this.extensions = { ...body, code: denial.code };
  }
}
