import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';

/** Stands in for the app's authentication: the user id comes from the `x-user-id` header. */
@Injectable()
export class HeaderUserGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown>; user?: unknown }>();
    const id = request.headers['x-user-id'];
    if (typeof id === 'string') request.user = { id };
    return true;
  }
}
