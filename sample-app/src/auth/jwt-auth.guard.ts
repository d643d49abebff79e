import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { GenAuthAuthUnavailableException, GenAuthTokenVerifier } from 'nestjs-genauth-mfa/auth';
import { demoRoles } from '../demo/demo-seed.js';
import { readCookie, SESSION_COOKIE } from '../web/web-session.js';

/** The user a verified token describes; `id` is what the MFA guard checks. */
export interface AuthUser {
  id: string;
  roles: string[];
  /** The user's GenAuth access token, when they signed in through GenAuth (the browser pages). */
  genauthToken?: string;
}

/** The token of a request: `authorization: Bearer <jwt>`, else the browser pages' session cookie. */
export function requestToken(headers: Record<string, string | undefined>): string | undefined {
  const [scheme, bearer] = (headers['authorization'] ?? '').split(' ');
  return scheme === 'Bearer' && bearer ? bearer : readCookie(headers['cookie'], SESSION_COOKIE);
}

/**
 * Verifies a request's token and sets `request.user`: a GenAuth user token (the library's verifier, on
 * GenAuth's keys: the browser pages sign in through GenAuth), or one of the sample's own demo tokens (HS256,
 * for curl). An app with GenAuth tokens only uses `GenAuthAuthGuard` as it is.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly genauth: GenAuthTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const token = requestToken(request.headers);
    if (!token) throw new UnauthorizedException('A Bearer token is required');
    const fromGenAuth = await this.genauth.verify(token).catch((error: unknown) => {
      // GenAuth's keys out of reach is a 503, not "try the demo token".
      if (error instanceof GenAuthAuthUnavailableException) throw error;
      return undefined;
    });
    if (fromGenAuth) {
      request.user = { id: fromGenAuth.sub, roles: demoRoles(fromGenAuth.sub), genauthToken: token };
      return true;
    }
    try {
      const payload = await this.jwt.verifyAsync<{ sub: string; roles?: string[] }>(token, { algorithms: ['HS256'] });
      request.user = { id: payload.sub, roles: payload.roles ?? [] };
      return true;
    } catch {
      throw new UnauthorizedException('The token is invalid or expired');
    }
  }
}
