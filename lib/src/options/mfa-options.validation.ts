import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { MfaBindingCache } from '../contracts/binding-store.js';
import { MAX_RETRY_AFTER_SECONDS, MAX_TIMER_MS } from '../contracts/limits.js';
import { isRedirectTarget } from '../contracts/same-origin-path.js';
import type { CompiledPolicy } from '../contracts/policy.js';
import type { MfaHttpOptions, MfaSettings } from '../contracts/settings.js';
import { USER_ID_TYPES } from '../contracts/user-ref.js';
import { AUTHING_FLAVOR, GENAUTH_FLAVOR } from '../client/signature.js';
import { MfaOptionsError } from '../errors/mfa-options.error.js';
import { compilePolicy } from '../policy/policy-compiler.js';
import { enforceFromTime } from '../policy/rollout.js';
import { stepUpSettings } from './step-up.validation.js';
import { GENAUTH_HOST, type MfaModuleOptions } from './mfa-module-options.js';
import {
  boolean,
  durationMs,
  fn,
  headerName,
  integer,
  oneOf,
  optionalString,
  requireString,
  shown,
} from './option-checks.js';

/** Adds `https://` when the scheme is missing and strips trailing slashes, as the official SDK does. */
export function normalizeHost(raw: unknown, option = 'host'): string {
  const text = requireString(optionalString(raw, option) ?? GENAUTH_HOST, option).trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new MfaOptionsError(option, `it is not a valid URL (got ${text})`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new MfaOptionsError(option, `it must be an http(s) URL (got ${text})`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new MfaOptionsError(option, 'it must not carry a query, a fragment or credentials');
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
  const retryBaseDelayMs = durationMs(options.retryBaseDelayMs, 'retryBaseDelayMs', 100);
  const timeoutMs = durationMs(options.timeoutMs, 'timeoutMs', 5000, 1);
  const maxRetries = integer(options.maxRetries, 'maxRetries', 2, 0, 10);
  // The guard waits for a lookup on one timer of timeoutMs × (1 + maxRetries): it must be a timer Node keeps.
  const lookupDeadlineMs = timeoutMs * (1 + maxRetries);
  if (lookupDeadlineMs > MAX_TIMER_MS) {
    throw new MfaOptionsError(
      'timeoutMs',
      `timeoutMs × (1 + maxRetries) must be at most ${MAX_TIMER_MS} ms (got ${timeoutMs} × ${1 + maxRetries})`,
    );
  }
  const userIdType = oneOf(options.userIdType, 'userIdType', USER_ID_TYPES, 'user_id');
  const unavailableRetryAfterSeconds = integer(
    options.unavailableRetryAfterSeconds,
    'unavailableRetryAfterSeconds',
    5,
    1,
    MAX_RETRY_AFTER_SECONDS,
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
      retryMaxDelayMs: durationMs(options.retryMaxDelayMs, 'retryMaxDelayMs', Math.max(2000, retryBaseDelayMs)),
      http: httpOption(options.http),
      appHost:
        options.appHost === undefined || options.appHost === '' ? host : normalizeHost(options.appHost, 'appHost'),
      appId: optionalString(options.appId, 'appId'),
      userTokenScheme: oneOf(options.userTokenScheme, 'userTokenScheme', ['raw', 'bearer'], 'raw'),
    },
    service: {
      userIdType,
      appId: optionalString(options.appId, 'appId'),
      verifyCredentials:
        options.verifyCredentials === undefined || options.verifyCredentials === false
          ? false
          : oneOf<'fail' | 'warn'>(options.verifyCredentials, 'verifyCredentials', ['fail', 'warn'], 'warn'),
    },
    guard: {
      userIdType,
      defaultPolicy: compileOption(options.defaultPolicy),
      resolveUser: fn(options.resolveUser, 'resolveUser'),
      failOpen: boolean(options.failOpen, 'failOpen', false),
      enrollmentUrl: redirectUrlOption(options.enrollmentUrl, 'enrollmentUrl'),
      redirectToEnrollment: boolean(options.redirectToEnrollment, 'redirectToEnrollment', true),
      reportOnly: boolean(options.reportOnly, 'reportOnly', false),
      enforceFrom: enforceFromOption(options.enforceFrom),
      enforceFromHeader: headerName(options.enforceFromHeader, 'enforceFromHeader'),
      stepUpUrl: redirectUrlOption(options.stepUpUrl, 'stepUpUrl'),
      errorBody: fn(options.errorBody, 'errorBody'),
      unavailableRetryAfterSeconds,
    },
    telemetry: {
      onDecision: fn(options.onDecision, 'onDecision'),
      decisionEvents: boolean(options.decisionEvents, 'decisionEvents', true),
      metrics: boolean(options.metrics, 'metrics', true),
    },
    stepUp: stepUpSettings(options.stepUp, cache.store),
    lookup: {
      userIdType,
      cache: {
        ttlMs: durationMs(cache.ttlMs, 'cache.ttlMs', 60_000),
        negativeTtlMs: durationMs(cache.negativeTtlMs, 'cache.negativeTtlMs', 5_000),
        maxEntries: integer(cache.maxEntries, 'cache.maxEntries', 100_000, 1, 10_000_000),
        store: storeOption(cache.store),
      },
      circuitBreaker: {
        failureThreshold: integer(breaker.failureThreshold, 'circuitBreaker.failureThreshold', 5, 0, 10_000),
        resetTimeoutMs: durationMs(breaker.resetTimeoutMs, 'circuitBreaker.resetTimeoutMs', 10_000),
      },
      unavailableRetryAfterSeconds,
      maxConcurrentLookups: integer(options.maxConcurrentLookups, 'maxConcurrentLookups', 32, 1, 10_000),
      lookupDeadlineMs,
    },
  };
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

/** A path on this origin (`/account/mfa`) or an http(s) URL: anything else in a redirect is an attack. */
function redirectUrlOption(value: unknown, option: string): MfaModuleOptions['enrollmentUrl'] {
  if (typeof value === 'function') return value as MfaModuleOptions['enrollmentUrl'];
  const url = optionalString(value, option);
  if (url === undefined) return undefined;
  if (isRedirectTarget(url)) return url;
  throw new MfaOptionsError(
    option,
    `it must be a path on this origin (/account/mfa) or an http(s) URL (got ${shown(url)})`,
  );
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
  if (proxy !== undefined && proxy !== false) {
    const { host, port } = (proxy ?? {}) as { host?: unknown; port?: unknown };
    if (typeof host !== 'string' || host === '' || !Number.isInteger(port) || !((port as number) > 0)) {
      throw new MfaOptionsError('http.proxy', 'it must be false or a proxy object with a host and a port');
    }
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

function compileOption(policy: MfaModuleOptions['defaultPolicy']): CompiledPolicy | undefined {
  if (policy === undefined) return undefined;
  try {
    return compilePolicy(policy);
  } catch (error) {
    throw new MfaOptionsError('defaultPolicy', (error as Error).message);
  }
}
