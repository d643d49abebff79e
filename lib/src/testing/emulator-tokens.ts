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
interface SigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly kid: string;
}

export class EmulatorTokens {
  /** The signing key first, then the previous one while it is still published (after a rotation). */
  private keys: SigningKey[] = [];

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
    if (!header || !payload || signature === undefined) return 'invalid';
    const signed = Buffer.from(`${header}.${payload}`);
    const valid = this.keys.some((key) =>
      verify('RSA-SHA256', signed, key.publicKey, Buffer.from(signature, 'base64url')),
    );
    if (!valid) return 'invalid';
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as UserTokenClaims;
    return claims.exp * 1000 <= now ? 'expired' : claims;
  }

  /** The public keys, as `GET /oidc/.well-known/jwks.json` serves them. */
  jwks(): { keys: object[] } {
    this.keyPair();
    return {
      keys: this.keys.map(({ publicKey, kid }) => ({
        ...publicKey.export({ format: 'jwk' }),
        kid,
        alg: 'RS256',
        use: 'sig',
      })),
    };
  }

  /**
   * Signs with a new key from now on. The previous key stays published (tokens it signed still verify) unless
   * `keepPrevious` is false, as after a compromise; older keys go.
   */
  rotate(keepPrevious: boolean): string {
    const previous = this.keys[0];
    this.keys = [newKey(), ...(keepPrevious && previous ? [previous] : [])];
    return this.keys[0]!.kid;
  }

  /** Signs claims with the current key (RS256, its `kid`); `header` adds or overrides header fields. */
  sign(claims: object, header: object = {}): string {
    const { privateKey, kid } = this.keyPair();
    const head = { alg: 'RS256', typ: 'JWT', kid, ...header };
    const signed = `${b64url(JSON.stringify(head))}.${b64url(JSON.stringify(claims))}`;
    return `${signed}.${b64url(sign('RSA-SHA256', Buffer.from(signed), privateKey))}`;
  }

  private keyPair(): SigningKey {
    if (this.keys.length === 0) this.keys = [newKey()];
    return this.keys[0]!;
  }
}

function newKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('base64url')
    .slice(0, 16);
  return { privateKey, publicKey, kid };
}
