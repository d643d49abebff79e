import { createHash, timingSafeEqual } from 'node:crypto';

/** Where GenAuth's sources say the secret travels (they disagree; all are accepted). */
export const WEBHOOK_SECRET_HEADERS = Object.freeze([
  'x-authing-webhook-secret',
  'x-authing-token',
  'x-genauth-webhook-secret',
  'x-genauth-token',
]);

/** Where the user pool's id travels. */
export const WEBHOOK_POOL_HEADERS = Object.freeze(['x-authing-userpool-id', 'x-genauth-userpool-id']);

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The first value of a header, as Node gives headers (a string, or a list for repeated ones). */
export function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name];
  const first: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/**
 * Whether a request carries the secret, in any of {@link WEBHOOK_SECRET_HEADERS}: compared as SHA-256 digests
 * with `timingSafeEqual`, so that neither the secret's length nor its characters leak through timing.
 */
export function carriesSecret(headers: Record<string, unknown>, secret: Buffer): 'ok' | 'missing' | 'wrong' {
  let given = false;
  for (const name of WEBHOOK_SECRET_HEADERS) {
    const value = headerValue(headers, name);
    if (value === undefined) continue;
    given = true;
    if (timingSafeEqual(digest(value), secret)) return 'ok';
  }
  return given ? 'wrong' : 'missing';
}

/** The digest {@link carriesSecret} compares against. */
export function secretDigest(secret: string): Buffer {
  return digest(secret);
}
