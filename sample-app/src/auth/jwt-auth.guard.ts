import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

/** The user a verified JSON Web Token describes; `id` is what the MFA guard checks. */
export interface AuthUser {
  id: string;
  roles: string[];
}

/** Verifies `authorization: Bearer <jwt>` and sets `request.user`. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const [scheme, token] = (request.headers['authorization'] ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) throw new UnauthorizedException('A Bearer token is required');
    try {
      const payload = await this.jwt.verifyAsync<{ sub: string; roles?: string[] }>(token);
      request.user = { id: payload.sub, roles: payload.roles ?? [] };
      return true;
    } catch {
      throw new UnauthorizedException('The token is invalid or expired');
    }
  }
}
