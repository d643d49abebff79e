import { randomUUID } from 'node:crypto';
import type { MfaClientSettings } from '../contracts/settings.js';
import { SDK_VERSION } from '../contracts/version.js';
import { hmacSha1Base64, stringToSign, type SignedParams } from './signature.js';

/** The headers of a signature-mode request (docs/wire-protocol.md), `authorization` included. */
export function signatureHeaders(
  options: MfaClientSettings,
  method: string,
  path: string,
  params: SignedParams | undefined,
  now: Date = new Date(),
  nonce: string = randomUUID().replace(/-/g, ''),
): Record<string, string> {
  const prefix = options.signatureFlavor.headerPrefix;
  const headers: Record<string, string> = {
    date: now.toUTCString(),
    [`${prefix}signature-nonce`]: nonce,
    [`${prefix}signature-method`]: 'HMAC-SHA1',
    [`${prefix}signature-version`]: '1.0',
    [`${prefix}lang`]: options.lang,
    [`${prefix}sdk-version`]: SDK_VERSION,
  };
  if (options.tenantId) headers[`${prefix}app-id`] = options.tenantId;
  const signature = hmacSha1Base64(options.accessKeySecret, stringToSign(method, path, headers, params, prefix));
  headers['authorization'] = `${options.signatureFlavor.scheme} ${options.accessKeyId}:${signature}`;
  return headers;
}

/**
 * The headers of an Authentication API request, made with a signed-in user's token: the application in
 * both spellings (`x-authing-app-id`, GenAuth's `x-genauth-app-id`), the token raw (as the official SDK
 * sends it) or as a Bearer token (as GenAuth's OpenAPI document declares), per `userTokenScheme`.
 */
export function userHeaders(options: MfaClientSettings, token: string): Record<string, string> {
  const appId = options.appId ?? '';
  return {
    authorization: options.userTokenScheme === 'bearer' ? `Bearer ${token}` : token,
    'x-authing-app-id': appId,
    'x-genauth-app-id': appId,
    'x-authing-lang': options.lang,
    'x-authing-sdk-version': SDK_VERSION,
  };
}

/** The headers of a token-mode request (docs/wire-protocol.md). */
export function tokenHeaders(options: MfaClientSettings, token: string): Record<string, string> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    'x-authing-userpool-id': options.userPoolId,
    'x-authing-lang': options.lang,
    'x-authing-sdk-version': SDK_VERSION,
  };
  if (options.tenantId) headers['x-authing-app-id'] = options.tenantId;
  return headers;
}
