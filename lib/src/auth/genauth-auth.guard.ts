import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { setHeader } from '../transports/mfa-transport.js';
import { transportOf } from '../transports/registry.js';
import { bearerTokenOf } from '../verifications/session-key.js';
import { GenAuthAuthUnavailableException, GenAuthTokenRejectedException } from './auth.exceptions.js';
import type { GenAuthAuthSettings, GenAuthTokenClaims } from './genauth-auth.options.js';
import { GENAUTH_AUTH_SETTINGS } from './genauth-auth.tokens.js';
import { GenAuthTokenVerifier } from './token-verifier.js';

/**
 * Authenticates a request by its GenAuth user token (HTTP, and the request behind a GraphQL operation) and
 * sets `request.user`: the verified claims, with `id` = `sub`, which `RequireMfaBound` reads, and
 * `auth_time`/`amr`/`acr` when the token carries them, which step-up reads. Use it alone, or first:
 * `@UseGuards(GenAuthAuthGuard, RequireMfaBound('TOTP'))`. A bad token is a 401 with a `code` and RFC 6750's
 * `WWW-Authenticate`; GenAuth's keys out of reach, a 503 with `Retry-After`.
 */
@Injectable()
export class GenAuthAuthGuard implements CanActivate {
  private readonly logger = new Logger('GenAuthAuthGuard');
  private revokedFailed = false;

  /** @internal Nest creates it. */
  constructor(
    @Inject(GENAUTH_AUTH_SETTINGS) private readonly settings: GenAuthAuthSettings,
    private readonly verifier: GenAuthTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const transport = transportOf(context.getType());
    await transport.prepare();
    const request = transport.carrier(context) as { user?: unknown } | undefined;
    const response = transport.response(context);
    try {
      const token = this.settings.token ? this.settings.token(request) : bearerTokenOf(request);
      if (!request || typeof token !== 'string' || token === '')
        throw new GenAuthTokenRejectedException('AUTH_TOKEN_MISSING');
      const claims = await this.verifier.verify(token);
      if (await this.isRevoked(claims, token)) throw new GenAuthTokenRejectedException('AUTH_TOKEN_REVOKED');
      request.user = this.settings.user ? this.settings.user(claims, token) : { ...claims, id: claims.sub };
      return true;
    } catch (error) {
      if (error instanceof GenAuthTokenRejectedException) setHeader(response, 'WWW-Authenticate', error.challenge);
      if (error instanceof GenAuthAuthUnavailableException)
        setHeader(response, 'Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  }

  /** The app's revocation check; one that fails cannot vouch for the token (503), logged once. */
  private async isRevoked(claims: GenAuthTokenClaims, token: string): Promise<boolean> {
    if (!this.settings.revoked) return false;
    try {
      return (await this.settings.revoked(claims, token)) === true;
    } catch (error) {
      if (!this.revokedFailed) {
        this.revokedFailed = true;
        this.logger.error(`the revoked check failed (logged once; answering 503): ${(error as Error).message}`);
      }
      throw new GenAuthAuthUnavailableException();
    }
  }
}
