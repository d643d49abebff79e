import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * Stands in for the app's own authentication guard of the README's guide: the bearer token must be a GenAuth
 * user token (RS256) that verifies against the JWKS of `GENAUTH_HOST` and has not expired; its `sub` becomes
 * `request.user = { sub }`, as a JWT strategy would set it.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private keys: Promise<Map<string, KeyObject>> | undefined;

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, unknown>; user?: unknown }>();
    const token = /^Bearer (\S+)$/.exec(String(request.headers['authorization'] ?? ''))?.[1];
    const [header, payload, signature] = token?.split('.') ?? [];
    if (!header || !payload || signature === undefined) throw new UnauthorizedException();
    try {
      const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid?: string };
      const key = (await this.jwks()).get(String(kid));
      const data = Buffer.from(`${header}.${payload}`);
      if (!key || !verify('RSA-SHA256', data, key, Buffer.from(signature, 'base64url'))) throw new Error('signature');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown; exp?: unknown };
      if (typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now())
        throw new Error('claims');
      request.user = { sub: claims.sub };
      return true;
    } catch {
      throw new UnauthorizedException();
    }
  }

  private jwks(): Promise<Map<string, KeyObject>> {
    this.keys ??= fetch(`${process.env['GENAUTH_HOST']}/oidc/.well-known/jwks.json`)
      .then((response) => response.json() as Promise<{ keys: (JsonWebKey & { kid: string })[] }>)
      .then(({ keys }) => new Map(keys.map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: 'jwk' })])));
    this.keys.catch(() => (this.keys = undefined));
    return this.keys;
  }
}
