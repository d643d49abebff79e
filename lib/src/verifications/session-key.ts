import { createHash } from 'node:crypto';

/**
 * The session key of a token: a SHA-256 of it, so that the record never holds the token itself. The guard
 * keys a request by its bearer token this way by default, and `MfaFactorService` records under it.
 */
export function mfaSessionKey(token: string): string {
  return createHash('sha256').update(`nestjs-genauth-mfa:session:${token}`).digest('base64url');
}

/** The bearer token of what carries a request (HTTP's request, GraphQL's `req`), if any. */
export function bearerTokenOf(carrier: unknown): string | undefined {
  const headers = (carrier as { headers?: unknown } | null | undefined)?.headers;
  const value = (headers as Record<string, unknown> | undefined)?.['authorization'];
  const match = typeof value === 'string' ? /^Bearer\s+(\S{8,8192})$/i.exec(value.trim()) : null;
  return match?.[1];
}
