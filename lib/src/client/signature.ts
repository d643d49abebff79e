import { createHmac } from 'node:crypto';
import type { SignatureFlavor } from '../contracts/settings.js';

/** Parameters that take part in a signature: a GET query object or a POST body's top-level keys. */
export type SignedParams = Readonly<Record<string, unknown>>;

export type { SignatureFlavor };

export const AUTHING_FLAVOR: SignatureFlavor = { headerPrefix: 'x-authing-', scheme: 'authing' };
export const GENAUTH_FLAVOR: SignatureFlavor = { headerPrefix: 'x-genauth-', scheme: 'GenAuth' };

function paramValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The path plus `?k=v&...` over the sorted, defined parameters, values not URL-encoded (docs/wire-protocol.md). */
export function canonicalResource(path: string, params?: SignedParams): string {
  if (!params) return path;
  const keys = Object.keys(params)
    .filter((key) => params[key] !== undefined)
    .sort();
  if (keys.length === 0) return path;
  return `${path}?${keys.map((key) => `${key}=${paramValue(params[key])}`).join('&')}`;
}

/** `name:value\n` for every `date` and prefixed header, names lower-case and sorted. */
export function canonicalHeaders(headers: Readonly<Record<string, string>>, headerPrefix: string): string {
  const picked: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'date' || lower.startsWith(headerPrefix)) {
      picked.push([lower, value.replace(/[\t\n\r\f]/g, ' ').trim()]);
    }
  }
  picked.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return picked.map(([name, value]) => `${name}:${value}\n`).join('');
}

/** The exact string the official SDK signs: `METHOD\n` + canonical headers + canonical resource. */
export function stringToSign(
  method: string,
  path: string,
  headers: Readonly<Record<string, string>>,
  params: SignedParams | undefined,
  headerPrefix: string,
): string {
  return `${method.toUpperCase()}\n${canonicalHeaders(headers, headerPrefix)}${canonicalResource(path, params)}`;
}

/** base64(HMAC-SHA1(secret, text)). */
export function hmacSha1Base64(secret: string, text: string): string {
  return createHmac('sha1', secret).update(text, 'utf8').digest('base64');
}

/**
 * Form-encodes a query the way axios does for the official SDK: `encodeURIComponent`, then `:`, `$`,
 * `,`, `[`, `]` put back raw and a space written as `+`.
 */
export function encodeQuery(params: SignedParams): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    parts.push(`${encodeQueryComponent(key)}=${encodeQueryComponent(paramValue(value))}`);
  }
  return parts.join('&');
}

function encodeQueryComponent(text: string): string {
  return encodeURIComponent(text)
    .replace(/%3A/gi, ':')
    .replace(/%24/g, '$')
    .replace(/%2C/gi, ',')
    .replace(/%20/g, '+')
    .replace(/%5B/gi, '[')
    .replace(/%5D/gi, ']');
}
