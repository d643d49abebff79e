import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';

/**
 * Stands in for the app's own authentication guard of the README's guide: `authorization: Bearer <userId>`
 * becomes `request.user = { sub: userId }`, as a JWT strategy would set it.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown>; user?: unknown }>();
    const match = /^Bearer (.+)$/.exec(String(request.headers['authorization'] ?? ''));
    if (!match) throw new UnauthorizedException();
    request.user = { sub: match[1] };
    return true;
  }
}
