import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SAMPLE_CONFIG, SAMPLE_HOSTS } from '../config/config.tokens.js';
import type { SampleConfig } from '../config/sample.config.js';

/** Where the sample's GenAuth answers: the Authentication API's host (the app's, or the emulator). */
export interface SampleHosts {
  appHost: string;
}

/** Claims the sample reads from a GenAuth user token. */
export interface GenAuthUserClaims {
  sub: string;
  aud: string;
  exp: number;
}

/**
 * Signs users in through GenAuth's Authentication API (`POST /api/v3/signin`, password), and verifies the
 * RS256 user tokens it issues against GenAuth's published keys (JWKS), as an app verifies GenAuth's tokens.
 */
@Injectable()
export class GenAuthUsers {
  private keys: Promise<Map<string, KeyObject>> | undefined;

  constructor(
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
    @Inject(SAMPLE_HOSTS) private readonly hosts: SampleHosts,
  ) {}

  /** The user's GenAuth access token, or undefined for a wrong account or password. */
  async signIn(account: string, password: string): Promise<string | undefined> {
    const basic: Record<string, string> = this.config.appSecret
      ? { authorization: `Basic ${Buffer.from(`${this.config.appId}:${this.config.appSecret}`).toString('base64')}` }
      : {};
    const response = await fetch(`${this.hosts.appHost}/api/v3/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-authing-app-id': this.config.appId, ...basic },
      body: JSON.stringify({ connection: 'PASSWORD', passwordPayload: { account, password } }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { statusCode?: number; data?: { access_token?: unknown } };
    return body.statusCode === 200 && typeof body.data?.access_token === 'string' ? body.data.access_token : undefined;
  }

  /** The claims of a GenAuth user token for this application, or undefined when it does not verify or has expired. */
  async verify(token: string): Promise<GenAuthUserClaims | undefined> {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) return undefined;
    const { alg, kid } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as {
      alg?: string;
      kid?: string;
    };
    const key = alg === 'RS256' && kid ? (await this.jwks()).get(kid) : undefined;
    if (!key || !verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))) {
      return undefined;
    }
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as GenAuthUserClaims;
    if (claims.aud !== this.config.appId || typeof claims.sub !== 'string' || claims.exp * 1000 <= Date.now())
      return undefined;
    return claims;
  }

  private jwks(): Promise<Map<string, KeyObject>> {
    this.keys ??= fetch(`${this.hosts.appHost}/oidc/.well-known/jwks.json`, { signal: AbortSignal.timeout(10_000) })
      .then((response) => response.json() as Promise<{ keys: Array<JsonWebKey & { kid: string }> }>)
      .then(({ keys }) => new Map(keys.map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: 'jwk' })])))
      .catch((error: unknown) => {
        this.keys = undefined;
        throw error;
      });
    return this.keys;
  }
}
