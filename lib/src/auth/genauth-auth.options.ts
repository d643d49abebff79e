import type { JWTPayload } from 'jose';
import { MfaOptionsError } from '../errors/mfa-options.error.js';
import { durationMs, fn, integer, optionalString, requireString, shown } from '../options/option-checks.js';

/** The algorithms a GenAuth token may be signed with: asymmetric only, so a public key can never sign one. */
export const GENAUTH_TOKEN_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export type GenAuthTokenAlgorithm = (typeof GENAUTH_TOKEN_ALGORITHMS)[number];

/** The claims of a verified GenAuth token; `sub` is always a non-empty string. */
export type GenAuthTokenClaims = JWTPayload & { readonly sub: string };

/** Options of `GenAuthAuthModule`. Checked at start-up: a mistake stops the app with the option's name. */
export interface GenAuthAuthOptions {
  /**
   * Your application's host on GenAuth (`https://my-app.genauth.ai`): tokens are issued by `${appHost}/oidc`
   * and signed with the keys at `${appHost}/oidc/.well-known/jwks.json`, unless `issuer` or `jwksUrl` say
   * otherwise. `http://` only on loopback (the emulator).
   */
  appHost: string;
  /** The `aud` a token must carry: your application's id (`appId`), or several. */
  audience: string | readonly string[];
  /** The `iss` a token must carry. Default `${appHost}/oidc`. */
  issuer?: string;
  /** Where the signing keys are. Default `${appHost}/oidc/.well-known/jwks.json`. */
  jwksUrl?: string;
  /** Algorithms accepted. Default `['RS256']` (GenAuth's); symmetric ones and `none` are refused at start-up. */
  algorithms?: readonly GenAuthTokenAlgorithm[];
  /** Clock skew allowed for `exp`, `nbf` and `iat`, in seconds. Default 30. */
  clockToleranceSeconds?: number;
  /** Longest wait for the keys, in ms; past it the request is a 503. Default 3000. */
  jwksTimeoutMs?: number;
  /** After a fetch of the keys, how long a token with an unknown `kid` waits before fetching again, in ms. Default 30000. */
  jwksCooldownMs?: number;
  /** How long fetched keys are used before they are fetched again, in ms. Default 600000 (10 minutes). */
  jwksMaxAgeMs?: number;
  /** The token of a request. Default: `authorization: Bearer <token>`. */
  token?: (request: unknown) => string | undefined;
  /**
   * Whether a verified token has been revoked (a sign-out list of yours, or an introspection call): `true`
   * is a 401 `AUTH_TOKEN_REVOKED`, a throw a 503. Default: none (a token is good until it expires).
   */
  revoked?: (claims: GenAuthTokenClaims, token: string) => boolean | Promise<boolean>;
  /** What `request.user` becomes. Default: the claims, with `id` set to `sub` (what the MFA guard reads). */
  user?: (claims: GenAuthTokenClaims, token: string) => object;
}

/** The options, validated. @internal */
export interface GenAuthAuthSettings {
  readonly issuer: string;
  readonly jwksUrl: URL;
  readonly audience: readonly string[];
  readonly algorithms: readonly GenAuthTokenAlgorithm[];
  readonly clockToleranceSeconds: number;
  readonly jwksTimeoutMs: number;
  readonly jwksCooldownMs: number;
  readonly jwksMaxAgeMs: number;
  readonly token: GenAuthAuthOptions['token'];
  readonly revoked: GenAuthAuthOptions['revoked'];
  readonly user: GenAuthAuthOptions['user'];
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** An https URL, or http on loopback; keys and issuers reached in clear text could be anyone's. */
function url(value: string, option: string): URL {
  const parsed = URL.canParse(value) ? new URL(value) : undefined;
  const secure = parsed?.protocol === 'https:' || (parsed?.protocol === 'http:' && LOOPBACK.has(parsed.hostname));
  if (!parsed || !secure || parsed.username || parsed.password) {
    throw new MfaOptionsError(option, `it must be an https:// URL (http:// on loopback only), got ${shown(value)}`);
  }
  return parsed;
}

function audiences(value: unknown): readonly string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((entry) => typeof entry !== 'string' || entry === '')) {
    throw new MfaOptionsError('audience', 'it must be your application id (appId), or a non-empty list of them');
  }
  return list as string[];
}

function algorithms(value: unknown): readonly GenAuthTokenAlgorithm[] {
  if (value === undefined) return ['RS256'];
  const allowed: readonly string[] = GENAUTH_TOKEN_ALGORITHMS;
  if (!Array.isArray(value) || value.length === 0 || value.some((alg) => !allowed.includes(alg as string))) {
    throw new MfaOptionsError(
      'algorithms',
      `it must be a non-empty list of ${allowed.join(', ')} (got ${shown(value)})`,
    );
  }
  return value as GenAuthTokenAlgorithm[];
}

/** Validates `GenAuthAuthModule`'s options. */
export function genAuthAuthSettings(value: unknown): GenAuthAuthSettings {
  if (value === null || typeof value !== 'object')
    throw new MfaOptionsError('GenAuthAuthModule', 'options are required');
  const options = value as GenAuthAuthOptions;
  const host = url(requireString(options.appHost, 'appHost'), 'appHost').href.replace(/\/+$/, '');
  const issuer = optionalString(options.issuer, 'issuer') ?? `${host}/oidc`;
  return {
    issuer: url(issuer, 'issuer') && issuer,
    jwksUrl: url(optionalString(options.jwksUrl, 'jwksUrl') ?? `${host}/oidc/.well-known/jwks.json`, 'jwksUrl'),
    audience: audiences(options.audience),
    algorithms: algorithms(options.algorithms),
    clockToleranceSeconds: integer(options.clockToleranceSeconds, 'clockToleranceSeconds', 30, 0, 600),
    jwksTimeoutMs: durationMs(options.jwksTimeoutMs, 'jwksTimeoutMs', 3000, 1),
    jwksCooldownMs: durationMs(options.jwksCooldownMs, 'jwksCooldownMs', 30_000, 0),
    jwksMaxAgeMs: durationMs(options.jwksMaxAgeMs, 'jwksMaxAgeMs', 600_000, 1),
    token: fn(options.token, 'token'),
    revoked: fn(options.revoked, 'revoked'),
    user: fn(options.user, 'user'),
  };
}
