import { HttpException } from '@nestjs/common';

/** Why a token was refused: the `code` of the 401's body. */
export type GenAuthTokenProblem =
  | 'AUTH_TOKEN_MISSING'
  | 'AUTH_TOKEN_MALFORMED'
  | 'AUTH_TOKEN_EXPIRED'
  | 'AUTH_TOKEN_NOT_YET_VALID'
  | 'AUTH_TOKEN_WRONG_ISSUER'
  | 'AUTH_TOKEN_WRONG_AUDIENCE'
  | 'AUTH_TOKEN_ALG_NOT_ALLOWED'
  | 'AUTH_TOKEN_UNKNOWN_KEY'
  | 'AUTH_TOKEN_BAD_SIGNATURE'
  | 'AUTH_TOKEN_REVOKED';

const MESSAGES: Readonly<Record<GenAuthTokenProblem, string>> = {
  AUTH_TOKEN_MISSING: 'A bearer token is required.',
  AUTH_TOKEN_MALFORMED: 'The token is not a signed JWT with the claims GenAuth issues.',
  AUTH_TOKEN_EXPIRED: 'The token has expired: sign in again.',
  AUTH_TOKEN_NOT_YET_VALID: 'The token is not valid yet (nbf, iat).',
  AUTH_TOKEN_WRONG_ISSUER: 'The token was issued by someone else.',
  AUTH_TOKEN_WRONG_AUDIENCE: 'The token was issued for another application.',
  AUTH_TOKEN_ALG_NOT_ALLOWED: 'The token is signed with an algorithm that is not accepted.',
  AUTH_TOKEN_UNKNOWN_KEY: 'The token is signed with a key GenAuth does not publish.',
  AUTH_TOKEN_BAD_SIGNATURE: 'The token signature does not verify.',
  AUTH_TOKEN_REVOKED: 'The token has been revoked: sign in again.',
};

/**
 * 401: the request's token was refused; `code` says why. Sent with RFC 6750's challenge
 * (`Bearer error="invalid_token"`, or a bare `Bearer` when no token came).
 */
export class GenAuthTokenRejectedException extends HttpException {
  /** The `WWW-Authenticate` value. */
  readonly challenge: string;

  constructor(readonly code: GenAuthTokenProblem) {
    super({ statusCode: 401, code, message: MESSAGES[code] }, 401);
    this.challenge =
      code === 'AUTH_TOKEN_MISSING'
        ? 'Bearer'
        : `Bearer error="invalid_token", error_description="${MESSAGES[code].replace(/["\\]/g, '')}"`;
  }
}

/** 503 `AUTH_UNAVAILABLE`: GenAuth's keys could not be fetched (or `revoked` failed); sent with `Retry-After`. */
export class GenAuthAuthUnavailableException extends HttpException {
  readonly retryAfterSeconds = 5;

  constructor() {
    super(
      {
        statusCode: 503,
        code: 'AUTH_UNAVAILABLE',
        message: "GenAuth's signing keys could not be read; try again later.",
        retryAfterSeconds: 5,
      },
      503,
    );
  }
}
