import { compilePolicy, type CompiledPolicy } from './guard/mfa-policy.js';
import { USER_ID_TYPES, type UserIdType } from './dto/user-id-type.js';
import type { MfaStatusCache } from './cache/mfa-status-cache.interface.js';
import { GENAUTH_HOST, type MfaModuleOptions } from './mfa-module-options.interface.js';
import { MAX_RETRY_AFTER_SECONDS } from './client/retry-policy.js';
import { AUTHING_FLAVOUR, GENAUTH_FLAVOUR, type SignatureFlavour } from './client/signature.js';

/** Options after validation, with every default filled in. */
export interface ResolvedMfaOptions {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly host: string;
  readonly authMode: 'signature' | 'token';
  readonly flavour: SignatureFlavour;
  readonly userPoolId: string;
  readonly tenantId: string | undefined;
  readonly lang: 'zh-CN' | 'en-US';
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly userIdType: UserIdType;
  readonly appId: string | undefined;
  readonly defaultPolicy: CompiledPolicy | undefined;
  readonly resolveUser: MfaModuleOptions['resolveUser'];
  readonly failOpen: boolean;
  readonly enrollmentUrl: MfaModuleOptions['enrollmentUrl'];
  readonly errorBody: MfaModuleOptions['errorBody'];
  readonly cacheTtlMs: number;
  readonly cacheNegativeTtlMs: number;
  readonly cacheMaxEntries: number;
  readonly cacheStore: MfaStatusCache | undefined;
  readonly breakerThreshold: number;
  readonly breakerResetMs: number;
  readonly unavailableRetryAfterSeconds: number;
  readonly maxConcurrentLookups: number;
}

/** Raised at start-up for a bad option; the message names the option and never holds the secret. */
export class MfaOptionsError extends Error {
  constructor(
    /** The option at fault, e.g. `host` or `cache.ttlMs`. */
    readonly option: string,
    detail: string,
  ) {
    super(`MfaModule: invalid option ${option}: ${detail}`);
    this.name = 'MfaOptionsError';
  }
}

function requireString(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new MfaOptionsError(option, value === undefined ? 'it is required' : 'it must be a non-empty string');
  }
  return value;
}

// An empty string means "not set": `config.get('GENAUTH_HOST')` gives '' for `GENAUTH_HOST=` in a .env file.
function optionalString(value: unknown, option: string): string | undefined {
  return value === undefined || value === '' ? undefined : requireString(value, option);
}

function shown(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

function count(value: unknown, option: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new MfaOptionsError(option, `it must be a finite number ${range} (got ${shown(value)})`);
  }
  return value;
}

function oneOf<T extends string>(value: unknown, option: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw new MfaOptionsError(option, `it must be one of ${allowed.join(', ')} (got ${shown(value)})`);
  }
  return value as T;
}

function fn<T>(value: T, option: string): T {
  if (value !== undefined && typeof value !== 'function') throw new MfaOptionsError(option, 'it must be a function');
  return value;
}

/** Adds `https://` when the scheme is missing and strips trailing slashes, as the official SDK does. */
export function normaliseHost(raw: unknown): string {
  const text = requireString(optionalString(raw, 'host') ?? GENAUTH_HOST, 'host').trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new MfaOptionsError('host', `it is not a valid URL (got ${text})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new MfaOptionsError('host', `it must be an http(s) URL (got ${text})`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new MfaOptionsError('host', 'it must not carry a query, a fragment or credentials');
  }
  return withScheme.replace(/\/+$/, '');
}

/** Validates options and fills defaults. Throws {@link MfaOptionsError} on the first bad option. */
export function resolveMfaOptions(options: MfaModuleOptions): ResolvedMfaOptions {
  if (options === null || typeof options !== 'object') {
    throw new MfaOptionsError('options', 'MfaModule needs an options object');
  }
  const host = normaliseHost(options.host);
  const hostname = new URL(host).hostname;
  const flavourName = oneOf(
    options.signatureFlavour,
    'signatureFlavour',
    ['genauth', 'authing'],
    hostname === 'genauth.ai' || hostname.endsWith('.genauth.ai') ? 'genauth' : 'authing',
  );
  const accessKeyId = requireString(options.accessKeyId, 'accessKeyId');
  const cache = options.cache ?? {};
  const breaker = options.circuitBreaker ?? {};
  const retryBaseDelayMs = count(options.retryBaseDelayMs, 'retryBaseDelayMs', 100);
  return {
    accessKeyId,
    accessKeySecret: requireString(options.accessKeySecret, 'accessKeySecret'),
    host,
    authMode: oneOf(options.authMode, 'authMode', ['signature', 'token'], 'signature'),
    flavour: flavourName === 'genauth' ? GENAUTH_FLAVOUR : AUTHING_FLAVOUR,
    userPoolId: optionalString(options.userPoolId, 'userPoolId') ?? accessKeyId,
    tenantId: optionalString(options.tenantId, 'tenantId'),
    lang: oneOf(options.lang, 'lang', ['zh-CN', 'en-US'], 'zh-CN'),
    timeoutMs: count(options.timeoutMs, 'timeoutMs', 5000, 1),
    maxRetries: Math.floor(count(options.maxRetries, 'maxRetries', 2)),
    retryBaseDelayMs,
    retryMaxDelayMs: count(options.retryMaxDelayMs, 'retryMaxDelayMs', Math.max(2000, retryBaseDelayMs)),
    userIdType: oneOf(options.userIdType, 'userIdType', USER_ID_TYPES, 'user_id'),
    appId: optionalString(options.appId, 'appId'),
    defaultPolicy: compileOption(options.defaultPolicy),
    resolveUser: fn(options.resolveUser, 'resolveUser'),
    failOpen: options.failOpen === undefined ? false : booleanOption(options.failOpen, 'failOpen'),
    enrollmentUrl:
      typeof options.enrollmentUrl === 'function'
        ? options.enrollmentUrl
        : optionalString(options.enrollmentUrl, 'enrollmentUrl'),
    errorBody: fn(options.errorBody, 'errorBody'),
    cacheTtlMs: count(cache.ttlMs, 'cache.ttlMs', 60_000),
    cacheNegativeTtlMs: count(cache.negativeTtlMs, 'cache.negativeTtlMs', 5_000),
    cacheMaxEntries: Math.floor(count(cache.maxEntries, 'cache.maxEntries', 100_000, 1)),
    cacheStore: storeOption(cache.store),
    breakerThreshold: Math.floor(count(breaker.failureThreshold, 'circuitBreaker.failureThreshold', 5)),
    breakerResetMs: count(breaker.resetTimeoutMs, 'circuitBreaker.resetTimeoutMs', 10_000),
    unavailableRetryAfterSeconds: Math.ceil(
      count(options.unavailableRetryAfterSeconds, 'unavailableRetryAfterSeconds', 5, 1, MAX_RETRY_AFTER_SECONDS),
    ),
    maxConcurrentLookups: Math.floor(count(options.maxConcurrentLookups, 'maxConcurrentLookups', 32, 1)),
  };
}

function storeOption(store: unknown): MfaStatusCache | undefined {
  if (store === undefined) return undefined;
  for (const method of ['get', 'set', 'delete'] as const) {
    if (typeof (store as Partial<Record<string, unknown>> | null)?.[method] !== 'function') {
      throw new MfaOptionsError('cache.store', `it must implement MfaStatusCache (no ${method}() method)`);
    }
  }
  return store as MfaStatusCache;
}

function booleanOption(value: unknown, option: string): boolean {
  if (typeof value !== 'boolean') throw new MfaOptionsError(option, 'it must be true or false');
  return value;
}

function compileOption(policy: MfaModuleOptions['defaultPolicy']): CompiledPolicy | undefined {
  if (policy === undefined) return undefined;
  try {
    return compilePolicy(policy);
  } catch (error) {
    throw new MfaOptionsError('defaultPolicy', (error as Error).message);
  }
}
