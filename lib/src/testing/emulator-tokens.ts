import { createHash, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';

/** The claims of a user access token the emulator issues (GenAuth's: no `amr`, no `auth_time`). */
export interface UserTokenClaims {
  readonly sub: string;
  readonly aud: string;
  readonly iss: string;
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
  readonly scope: string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * The user tokens of the emulated Authentication API: RS256 JSON Web Tokens signed with a key pair of this
 * emulator's own (made when first needed), published as a JWKS, as GenAuth publishes its keys, so that an
 * app verifies them as it would GenAuth's.
 */
export class EmulatorTokens {
  private keys: { privateKey: KeyObject; publicKey: KeyObject; kid: string } | undefined;

  constructor(private readonly issuer: () => string) {}

  /** An access token and an ID token for a user of an application, valid `ttlSeconds`. */
  issue(user: { userId: string; username?: string; email?: string }, appId: string, ttlSeconds: number, now: number) {
    const iat = Math.floor(now / 1000);
    const base = { sub: user.userId, aud: appId, iss: this.issuer(), iat, exp: iat + ttlSeconds };
    const access = this.sign({ ...base, jti: randomUUID(), scope: 'openid profile email' });
    const id = this.sign({ ...base, username: user.username ?? null, email: user.email ?? null });
    return {
      access_token: access,
      id_token: id,
      token_type: 'Bearer',
      expire_in: ttlSeconds,
      scope: 'openid profile email',
    };
  }

  /** The claims of a token this emulator issued and that has not expired, else why not. */
  verify(token: string, now: number): UserTokenClaims | 'invalid' | 'expired' {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || signature === undefined || !this.keys) return 'invalid';
    const valid = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      this.keys.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!valid) return 'invalid';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as UserTokenClaims;
    return claims.exp * 1000 <= now ? 'expired' : claims;
  }

  /** The public keys, as `GET /oidc/.well-known/jwks.json` serves them. */
  jwks(): { keys: object[] } {
    const { publicKey, kid } = this.keyPair();
    return { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] };
  }

  private sign(claims: object): string {
    const { privateKey, kid } = this.keyPair();
    const signed = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }))}.${b64url(JSON.stringify(claims))}`;
    return `${signed}.${b64url(sign('RSA-SHA256', Buffer.from(signed), privateKey))}`;
  }

  private keyPair() {
    if (!this.keys) {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const kid = createHash('sha256')
        .update(publicKey.export({ format: 'der', type: 'spki' }))
        .digest('base64url')
        .slice(0, 16);
      this.keys = { privateKey, publicKey, kid };
    }
    return this.keys;
  }
}
