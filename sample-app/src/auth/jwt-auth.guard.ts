import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { readCookie, SESSION_COOKIE } from '../web/web-session.js';

/** The user a verified JSON Web Token describes; `id` is what the MFA guard checks. */
export interface AuthUser {
  id: string;
  roles: string[];
}

/** Verifies `authorization: Bearer <jwt>` (or the browser pages' session cookie) and sets `request.user`. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const [scheme, bearer] = (request.headers['authorization'] ?? '').split(' ');
    const token = scheme === 'Bearer' && bearer ? bearer : readCookie(request.headers['cookie'], SESSION_COOKIE);
    if (!token) throw new UnauthorizedException('A Bearer token is required');
    try {
      const payload = await this.jwt.verifyAsync<{ sub: string; roles?: string[] }>(token);
      request.user = { id: payload.sub, roles: payload.roles ?? [] };
      return true;
    } catch {
      throw new UnauthorizedException('The token is invalid or expired');
    }
  }
}
