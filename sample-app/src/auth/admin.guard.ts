import { ForbiddenException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { AuthUser } from './jwt-auth.guard.js';

/** Lets only users with the `admin` role through (runs after {@link JwtAuthGuard}). */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user?.roles.includes('admin')) throw new ForbiddenException('Admins only');
    return true;
  }
}
