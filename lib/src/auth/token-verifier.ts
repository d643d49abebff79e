import { createRemoteJWKSet, jwtVerify } from 'jose';
import {
  GenAuthAuthUnavailableException,
  GenAuthTokenRejectedException,
  type GenAuthTokenProblem,
} from './auth.exceptions.js';
import type { GenAuthAuthSettings, GenAuthTokenClaims } from './genauth-auth.options.js';

/** jose's error codes that say the token is bad (a 401), by what the 401 says. */
const PROBLEMS: Readonly<Record<string, GenAuthTokenProblem>> = {
  ERR_JWT_EXPIRED: 'AUTH_TOKEN_EXPIRED',
  ERR_JOSE_ALG_NOT_ALLOWED: 'AUTH_TOKEN_ALG_NOT_ALLOWED',
  ERR_JWKS_NO_MATCHING_KEY: 'AUTH_TOKEN_UNKNOWN_KEY',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'AUTH_TOKEN_UNKNOWN_KEY',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'AUTH_TOKEN_BAD_SIGNATURE',
  ERR_JWS_INVALID: 'AUTH_TOKEN_MALFORMED',
  ERR_JWT_INVALID: 'AUTH_TOKEN_MALFORMED',
  ERR_JOSE_NOT_SUPPORTED: 'AUTH_TOKEN_MALFORMED',
};
const CLAIM_PROBLEMS: Readonly<Record<string, GenAuthTokenProblem>> = {
  iss: 'AUTH_TOKEN_WRONG_ISSUER',
  aud: 'AUTH_TOKEN_WRONG_AUDIENCE',
  nbf: 'AUTH_TOKEN_NOT_YET_VALID',
  iat: 'AUTH_TOKEN_NOT_YET_VALID',
};

/**
 * Verifies GenAuth's user tokens with `jose`: the signature against GenAuth's published keys (fetched with
 * a timeout, kept `jwksMaxAgeMs`, fetched again for an unknown `kid` at most once per `jwksCooldownMs`, so a
 * key rotation needs no restart), the algorithm against the allow-list, `iss`, `aud`, `exp`, `nbf` with the
 * clock tolerance, and a `sub`. A bad token is a `GenAuthTokenRejectedException`; keys that cannot be read, a
 * `GenAuthAuthUnavailableException`. Inject it to verify a token outside a guard (a WebSocket handshake).
 */
export class GenAuthTokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  /** @hidden Built by `GenAuthAuthModule` from validated options. */
  constructor(private readonly settings: GenAuthAuthSettings) {
    this.keys = createRemoteJWKSet(settings.jwksUrl, {
      timeoutDuration: settings.jwksTimeoutMs,
      cooldownDuration: settings.jwksCooldownMs,
      cacheMaxAge: settings.jwksMaxAgeMs,
    });
  }

  /** The claims of a good token; throws why not. */
  async verify(token: string): Promise<GenAuthTokenClaims> {
    if (typeof token !== 'string' || token === '') throw new GenAuthTokenRejectedException('AUTH_TOKEN_MISSING');
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.settings.issuer,
        audience: [...this.settings.audience],
        algorithms: [...this.settings.algorithms],
        clockTolerance: this.settings.clockToleranceSeconds,
        requiredClaims: ['exp'],
      });
      if (typeof payload.sub !== 'string' || payload.sub === '')
        throw new GenAuthTokenRejectedException('AUTH_TOKEN_MALFORMED');
      return payload as GenAuthTokenClaims;
    } catch (error) {
      throw refusal(error);
    }
  }
}

/** What a failed verification means: a bad token (401), or keys that could not be read (503). */
function refusal(error: unknown): Error {
  if (error instanceof GenAuthTokenRejectedException) return error;
  const { code, claim } = (error ?? {}) as { code?: unknown; claim?: unknown };
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    return new GenAuthTokenRejectedException(CLAIM_PROBLEMS[String(claim)] ?? 'AUTH_TOKEN_MALFORMED');
  }
  const problem = typeof code === 'string' ? PROBLEMS[code] : undefined;
  // The rest is the keys' fetch: a timeout, a network error, a non-200, a body that is not a key set.
  return problem ? new GenAuthTokenRejectedException(problem) : new GenAuthAuthUnavailableException();
}
