import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { compilePolicy, type CompiledPolicy } from './guard/mfa-policy.js';
import { enforceFromTime } from './guard/mfa-rollout.js';
import { USER_ID_TYPES, type UserIdType } from './dto/user-id-type.js';
import type { MfaBindingCache } from './cache/mfa-binding-cache.interface.js';
import { GENAUTH_HOST, type MfaHttpOptions, type MfaModuleOptions } from './mfa-module-options.interface.js';
import { MfaOptionsError } from './errors/mfa-options.error.js';
import { MAX_RETRY_AFTER_SECONDS } from './client/retry-policy.js';
import { AUTHING_FLAVOR, GENAUTH_FLAVOR, type SignatureFlavor } from './client/signature.js';

/** What the GenAuth client needs, credentials included. Only the client sees it. */
export interface MfaClientSettings {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly host: string;
  readonly authMode: 'signature' | 'token';
  /** The header prefix and scheme word that `signatureFlavor` (or the host) selects. */
  readonly signatureFlavor: SignatureFlavor;
  readonly userPoolId: string;
  readonly tenantId: string | undefined;
  readonly lang: 'zh-CN' | 'en-US';
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly http: MfaHttpOptions;
}

/** What {@link MfaManagementService} needs beyond the client. */
export interface MfaServiceSettings {
  readonly userIdType: UserIdType;
  readonly appId: string | undefined;
}

/**
 * What the guard needs, validated and defaulted, under the option names of {@link MfaModuleOptions}.
 * Injected into {@link MfaGuard} as `settings` under `MFA_GUARD_SETTINGS`; it holds no credential.
 */
export interface MfaGuardSettings {
  readonly userIdType: UserIdType;
  readonly defaultPolicy: CompiledPolicy | undefined;
  readonly resolveUser: MfaModuleOptions['resolveUser'];
  readonly failOpen: boolean;
  readonly enrollmentUrl: MfaModuleOptions['enrollmentUrl'];
  readonly redirectToEnrollment: boolean;
  readonly reportOnly: boolean;
  /** `enforceFrom`, in ms since the epoch. */
  readonly enforceFrom: number | undefined;
  readonly enforceFromHeader: string | undefined;
  readonly errorBody: MfaModuleOptions['errorBody'];
  readonly unavailableRetryAfterSeconds: number;
}

/** What the telemetry needs: who hears of decisions, and whether metrics are registered. */
export interface MfaTelemetrySettings {
  readonly onDecision: MfaModuleOptions['onDecision'];
  readonly decisionEvents: boolean;
  readonly metrics: boolean;
}

/** What the binding resolver needs: the cache, the breaker and the bounds of a lookup. */
export interface MfaLookupSettings {
  readonly userIdType: UserIdType;
  readonly cache: {
    readonly ttlMs: number;
    readonly negativeTtlMs: number;
    readonly maxEntries: number;
    readonly store: MfaBindingCache | undefined;
  };
  readonly circuitBreaker: { readonly failureThreshold: number; readonly resetTimeoutMs: number };
  readonly unavailableRetryAfterSeconds: number;
  readonly maxConcurrentLookups: number;
  /** Longest a lookup may take: `timeoutMs` × (1 + `maxRetries`). */
  readonly lookupDeadlineMs: number;
}

/** The module's options after validation, one view per consumer. */
export interface MfaSettings {
  readonly client: MfaClientSettings;
  readonly service: MfaServiceSettings;
  readonly guard: MfaGuardSettings;
  readonly lookup: MfaLookupSettings;
  readonly telemetry: MfaTelemetrySettings;
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

function enforceFromOption(value: unknown): number | undefined {
  if (value === undefined || value === '') return undefined;
  const time = enforceFromTime(value);
  if (time === undefined) {
    throw new MfaOptionsError(
      'enforceFrom',
      `it must be a Date or an ISO 8601 string with a time zone (got ${shown(value)})`,
    );
  }
  return time;
}

function headerNameOption(value: unknown, option: string): string | undefined {
  const name = optionalString(value, option);
  if (name !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new MfaOptionsError(option, `it must be an HTTP header name (got ${shown(name)})`);
  }
  return name;
}

/** Adds `https://` when the scheme is missing and strips trailing slashes, as the official SDK does. */
export function normalizeHost(raw: unknown): string {
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
export function validateMfaOptions(options: MfaModuleOptions): MfaSettings {
  if (options === null || typeof options !== 'object') {
    throw new MfaOptionsError('options', 'MfaModule needs an options object');
  }
  const host = normalizeHost(options.host);
  const hostname = new URL(host).hostname;
  const flavorName = oneOf(
    options.signatureFlavor,
    'signatureFlavor',
    ['genauth', 'authing'],
    hostname === 'genauth.ai' || hostname.endsWith('.genauth.ai') ? 'genauth' : 'authing',
  );
  const accessKeyId = requireString(options.accessKeyId, 'accessKeyId');
  const cache = options.cache ?? {};
  const breaker = options.circuitBreaker ?? {};
  const retryBaseDelayMs = count(options.retryBaseDelayMs, 'retryBaseDelayMs', 100);
  const timeoutMs = count(options.timeoutMs, 'timeoutMs', 5000, 1);
  const maxRetries = Math.floor(count(options.maxRetries, 'maxRetries', 2));
  const userIdType = oneOf(options.userIdType, 'userIdType', USER_ID_TYPES, 'user_id');
  const unavailableRetryAfterSeconds = Math.ceil(
    count(options.unavailableRetryAfterSeconds, 'unavailableRetryAfterSeconds', 5, 1, MAX_RETRY_AFTER_SECONDS),
  );
  return {
    client: {
      accessKeyId,
      accessKeySecret: requireString(options.accessKeySecret, 'accessKeySecret'),
      host,
      authMode: oneOf(options.authMode, 'authMode', ['signature', 'token'], 'signature'),
      signatureFlavor: flavorName === 'genauth' ? GENAUTH_FLAVOR : AUTHING_FLAVOR,
      userPoolId: optionalString(options.userPoolId, 'userPoolId') ?? accessKeyId,
      tenantId: optionalString(options.tenantId, 'tenantId'),
      lang: oneOf(options.lang, 'lang', ['zh-CN', 'en-US'], 'zh-CN'),
      timeoutMs,
      maxRetries,
      retryBaseDelayMs,
      retryMaxDelayMs: count(options.retryMaxDelayMs, 'retryMaxDelayMs', Math.max(2000, retryBaseDelayMs)),
      http: httpOption(options.http),
    },
    service: { userIdType, appId: optionalString(options.appId, 'appId') },
    guard: {
      userIdType,
      defaultPolicy: compileOption(options.defaultPolicy),
      resolveUser: fn(options.resolveUser, 'resolveUser'),
      failOpen: options.failOpen === undefined ? false : booleanOption(options.failOpen, 'failOpen'),
      enrollmentUrl:
        typeof options.enrollmentUrl === 'function'
          ? options.enrollmentUrl
          : optionalString(options.enrollmentUrl, 'enrollmentUrl'),
      redirectToEnrollment:
        options.redirectToEnrollment === undefined
          ? true
          : booleanOption(options.redirectToEnrollment, 'redirectToEnrollment'),
      reportOnly: options.reportOnly === undefined ? false : booleanOption(options.reportOnly, 'reportOnly'),
      enforceFrom: enforceFromOption(options.enforceFrom),
      enforceFromHeader: headerNameOption(options.enforceFromHeader, 'enforceFromHeader'),
      errorBody: fn(options.errorBody, 'errorBody'),
      unavailableRetryAfterSeconds,
    },
    telemetry: {
      onDecision: fn(options.onDecision, 'onDecision'),
      decisionEvents:
        options.decisionEvents === undefined ? true : booleanOption(options.decisionEvents, 'decisionEvents'),
      metrics: options.metrics === undefined ? true : booleanOption(options.metrics, 'metrics'),
    },
    lookup: {
      userIdType,
      cache: {
        ttlMs: count(cache.ttlMs, 'cache.ttlMs', 60_000),
        negativeTtlMs: count(cache.negativeTtlMs, 'cache.negativeTtlMs', 5_000),
        maxEntries: Math.floor(count(cache.maxEntries, 'cache.maxEntries', 100_000, 1)),
        store: storeOption(cache.store),
      },
      circuitBreaker: {
        failureThreshold: Math.floor(count(breaker.failureThreshold, 'circuitBreaker.failureThreshold', 5)),
        resetTimeoutMs: count(breaker.resetTimeoutMs, 'circuitBreaker.resetTimeoutMs', 10_000),
      },
      unavailableRetryAfterSeconds,
      maxConcurrentLookups: Math.floor(count(options.maxConcurrentLookups, 'maxConcurrentLookups', 32, 1)),
      lookupDeadlineMs: timeoutMs * (1 + maxRetries),
    },
  };
}

function httpOption(http: unknown): MfaHttpOptions {
  if (http === undefined) return {};
  if (http === null || typeof http !== 'object') throw new MfaOptionsError('http', 'it must be an object');
  const { httpAgent, httpsAgent, proxy } = http as MfaHttpOptions;
  if (httpAgent !== undefined && !(httpAgent instanceof HttpAgent)) {
    throw new MfaOptionsError('http.httpAgent', 'it must be an http.Agent');
  }
  if (httpsAgent !== undefined && !(httpsAgent instanceof HttpsAgent)) {
    throw new MfaOptionsError('http.httpsAgent', 'it must be an https.Agent');
  }
  if (proxy !== undefined && proxy !== false && (proxy === null || typeof proxy !== 'object')) {
    throw new MfaOptionsError('http.proxy', 'it must be false or an axios proxy object');
  }
  return { httpAgent, httpsAgent, proxy };
}

function storeOption(store: unknown): MfaBindingCache | undefined {
  if (store === undefined) return undefined;
  for (const method of ['get', 'set', 'delete'] as const) {
    if (typeof (store as Partial<Record<string, unknown>> | null)?.[method] !== 'function') {
      throw new MfaOptionsError('cache.store', `it must implement MfaBindingCache (no ${method}() method)`);
    }
  }
  return store as MfaBindingCache;
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
