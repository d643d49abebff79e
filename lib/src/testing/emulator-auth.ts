import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hmacSha1Base64, stringToSign, type SignedParams } from '../client/signature.js';
import { GENAUTH_API_CODES } from '../contracts/api-codes.js';

/** A refused request: the body fields of the error envelope. */
export interface AuthFailure {
  readonly statusCode: number;
  readonly apiCode: number;
  readonly message: string;
}

/** The apiCodes the emulator answers with: GenAuth's (`GENAUTH_API_CODES`, also exported from the core). */
export const API_CODES = GENAUTH_API_CODES;

function fail(statusCode: number, apiCode: number, message: string): AuthFailure {
  return { statusCode, apiCode, message };
}

/** Checks both auth modes as the Management API does: AK/SK signatures (with date and nonce) and tokens. */
export class EmulatorAuth {
  private readonly nonces = new Map<string, number>();
  private readonly tokens = new Map<string, { accessKeyId: string; expiresAt: number }>();

  constructor(
    private readonly secrets: ReadonlyMap<string, string>,
    private readonly now: () => number,
    private readonly skewMs: () => number,
  ) {}

  /** Issues a management token for a key pair, or refuses it. */
  issueToken(accessKeyId: unknown, accessKeySecret: unknown, ttlSeconds: number): { token: string } | AuthFailure {
    const expected = typeof accessKeyId === 'string' ? this.secrets.get(accessKeyId) : undefined;
    if (expected === undefined || typeof accessKeySecret !== 'string' || !sameText(expected, accessKeySecret)) {
      return fail(401, API_CODES.BAD_SIGNATURE, 'invalid accessKeyId or accessKeySecret');
    }
    const token = randomBytes(24).toString('hex');
    this.tokens.set(token, { accessKeyId: accessKeyId as string, expiresAt: this.now() + ttlSeconds * 1000 });
    return { token };
  }

  /** Makes every issued token expire, to exercise a client's refresh. */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = 0;
  }

  /** Checks a request's authentication; undefined when it passes. */
  verify(
    method: string,
    path: string,
    headers: Readonly<Record<string, string>>,
    params: SignedParams | undefined,
  ): AuthFailure | undefined {
    const authorization = headers['authorization'];
    if (!authorization) return fail(401, API_CODES.BAD_SIGNATURE, 'missing authorization header');
    const signed = /^(authing|genauth) ([^:\s]+):(\S+)$/i.exec(authorization);
    if (!signed) return this.verifyToken(authorization, headers);
    const [, scheme, accessKeyId, signature] = signed as unknown as [string, string, string, string];
    const prefix = scheme.toLowerCase() === 'genauth' ? 'x-genauth-' : 'x-authing-';
    const secret = this.secrets.get(accessKeyId);
    if (secret === undefined) return fail(401, API_CODES.BAD_SIGNATURE, 'unknown accessKeyId');
    if (headers[`${prefix}signature-method`] !== 'HMAC-SHA1') {
      return fail(401, API_CODES.BAD_SIGNATURE_METHOD, 'signature method must be HMAC-SHA1');
    }
    if (headers[`${prefix}signature-version`] !== '1.0') {
      return fail(401, API_CODES.BAD_SIGNATURE_VERSION, 'signature version must be 1.0');
    }
    const date = headers['date'];
    if (!date) return fail(401, API_CODES.MISSING_DATE, 'missing date header');
    const sentAt = parseDate(date);
    if (Number.isNaN(sentAt)) return fail(401, API_CODES.UNPARSABLE_DATE, 'date header cannot be parsed');
    if (Math.abs(this.now() - sentAt) > this.skewMs()) {
      return fail(401, API_CODES.DATE_SKEW, 'date header too far from server time');
    }
    const nonce = headers[`${prefix}signature-nonce`];
    if (!nonce) return fail(401, API_CODES.BAD_SIGNATURE, 'missing signature nonce');
    const expected = hmacSha1Base64(secret, stringToSign(method, path, headers, params, prefix));
    if (!sameText(expected, signature)) return fail(401, API_CODES.BAD_SIGNATURE, 'signature does not match');
    return this.useNonce(nonce);
  }

  /** Forgets every nonce seen (tests replay captured requests against a fresh memory). */
  forgetNonces(): void {
    this.nonces.clear();
  }

  private useNonce(nonce: string): AuthFailure | undefined {
    const now = this.now();
    const seenUntil = this.nonces.get(nonce);
    if (seenUntil !== undefined && seenUntil > now) return fail(401, API_CODES.NONCE_REPLAYED, 'nonce already used');
    if (this.nonces.size > 100_000) {
      for (const [old, until] of this.nonces) if (until <= now) this.nonces.delete(old);
    }
    // A nonce must be remembered as long as its date can still pass the skew check.
    this.nonces.set(nonce, now + 2 * this.skewMs());
    return undefined;
  }

  private verifyToken(authorization: string, headers: Readonly<Record<string, string>>): AuthFailure | undefined {
    const token = authorization.replace(/^Bearer\s+/i, '');
    const issued = this.tokens.get(token);
    if (!issued || issued.expiresAt <= this.now()) {
      return fail(401, API_CODES.TOKEN_REJECTED, 'management token invalid or expired');
    }
    if (headers['x-authing-userpool-id'] !== issued.accessKeyId) {
      return fail(403, API_CODES.USER_POOL_NOT_FOUND, 'user pool not found');
    }
    return undefined;
  }
}

const RFC_1123 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** RFC 1123 (what the Node SDKs send) or epoch milliseconds (what apiCode 1303's text speaks of). */
function parseDate(date: string): number {
  if (/^\d{10,16}$/.test(date)) return Number(date);
  return RFC_1123.test(date) ? Date.parse(date) : Number.NaN;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
