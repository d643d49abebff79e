import type { ConfigurableModuleAsyncOptions } from '@nestjs/common';
import type { MfaBindingCache } from '../contracts/binding-store.js';
import type { MfaPolicyInput } from '../contracts/policy.js';
import type {
  MfaDecisionListener,
  MfaEnrollmentUrl,
  MfaErrorBodyBuilder,
  MfaHttpOptions,
  MfaProxyConfig,
  MfaUserResolver,
} from '../contracts/settings.js';
import type { UserIdType } from '../contracts/user-ref.js';
import type { MfaStepUpModuleOptions } from '../contracts/verification.js';

/** The GenAuth (international) Management API host, the default `host`. */
export const GENAUTH_HOST = 'https://api.genauth.ai';
/** The Authing (China) Management API host. */
export const AUTHING_HOST = 'https://api.authing.cn';

/**
 * Options of {@link MfaModule}. Checked at start-up: a bad option stops the application with a
 * message that names it. An optional string option given as `''` counts as not set, so that an empty
 * variable in a `.env` file means the default.
 */
export interface MfaModuleOptions {
  /** Access Key ID of the GenAuth user pool (or of a user-pool-level key). */
  accessKeyId: string;
  /** Access Key Secret. Used to sign requests or fetch tokens; never logged nor put in an error. */
  accessKeySecret: string;
  /** Management API base URL. Default `https://api.genauth.ai`; `https://` is added when no scheme is given. */
  host?: string;
  /**
   * `'signature'` (default): every request signed with HMAC-SHA1, as the official Node SDK does.
   * `'token'`: a management token fetched with the key pair and sent as a bearer token.
   */
  authMode?: 'signature' | 'token';
  /**
   * Header flavor of signature mode: `'genauth'` (`x-genauth-` headers, `GenAuth` scheme) or `'authing'`
   * (`x-authing-`, `authing`). Default: `'authing'` for an `authing.cn` host and for hosts of private
   * deployments, `'genauth'` for a `genauth.ai` host.
   */
  signatureFlavor?: 'genauth' | 'authing';
  /** User pool ID sent as `x-authing-userpool-id` in token mode. Default: `accessKeyId`. */
  userPoolId?: string;
  /** Tenant ID, sent as `x-authing-app-id` when set. */
  tenantId?: string;
  /** Language of GenAuth's messages: `'zh-CN'` (default) or `'en-US'`. */
  lang?: 'zh-CN' | 'en-US';
  /**
   * Deadline of each HTTP attempt, headers and body together, in milliseconds. A whole call, retries and
   * their delays included, ends within `timeoutMs` × (1 + `maxRetries`), and so does the guard's wait for
   * a lookup. Default 5000.
   */
  timeoutMs?: number;
  /** Retries of a GET after a network error, a 5xx or a 429 (POST is never retried). Default 2. */
  maxRetries?: number;
  /** First backoff delay in milliseconds, doubled per retry, with full jitter. Default 100. */
  retryBaseDelayMs?: number;
  /** Longest delay between two attempts, `Retry-After` included, in milliseconds. Default 2000. */
  retryMaxDelayMs?: number;
  /** Default `userIdType` of calls and of the guard. Default `'user_id'`. */
  userIdType?: UserIdType;
  /**
   * The application: default `appId` of {@link MfaManagementService.getMfaTriggerData}, and the application of
   * `MfaFactorService`'s calls (required for those).
   */
  appId?: string;
  /**
   * The application's host, where the Authentication API answers `MfaFactorService` (e.g.
   * `https://my-app.genauth.ai`). Default: `host` (the emulator serves both).
   */
  appHost?: string;
  /**
   * How `MfaFactorService` sends the user's token: `'raw'` (default, as the official SDK does) or
   * `'bearer'` (as GenAuth's OpenAPI document declares).
   */
  userTokenScheme?: 'raw' | 'bearer';
  /**
   * Check the key pair with one signed call when the app starts: `'fail'` stops start-up when GenAuth
   * refuses it (apiCode 1300-1306, with GenAuth's message), `'warn'` logs that once and starts. GenAuth not
   * answering is a warning in both modes. Default false: no call at start-up.
   */
  verifyCredentials?: 'fail' | 'warn' | false;

  /** Policy of routes that carry no `@MfaPolicy()`; without it such routes are not checked. */
  defaultPolicy?: MfaPolicyInput;
  /**
   * Where the guard finds the user. Default: `request.user.id`, then `.sub`, then `.userId`, with the
   * module's `userIdType`. Return undefined when there is no user (the guard answers 401). It may return a
   * promise (a lookup); a synchronous answer keeps the guard's warm path free of promises.
   */
  resolveUser?: MfaUserResolver;
  /** Let requests through (and log a warning) when GenAuth cannot answer. Default false: fail closed. */
  failOpen?: boolean;
  /**
   * URL where a user enrolls factors, put in the 403 body; browser navigations are redirected there (see
   * `redirectToEnrollment`). A path (`/account/mfa`) or an absolute URL; a function gets the context.
   */
  enrollmentUrl?: MfaEnrollmentUrl;
  /**
   * Where a user verifies a factor again for a step-up route (`verifiedWithin`): put in the 401 body, and
   * browser navigations are sent there (303, with `returnTo`). A path or an http(s) URL, or a function.
   */
  stepUpUrl?: MfaEnrollmentUrl;
  /** Step-up: where verification times come from (claims, the library's record per session). */
  stepUp?: MfaStepUpModuleOptions;
  /**
   * Answer a browser navigation (a GET accepting `text/html`) denied for a missing factor with a 303 to
   * `enrollmentUrl`, with `returnTo` set to its path. Default true (when `enrollmentUrl` is set).
   */
  redirectToEnrollment?: boolean;
  /**
   * Report-only for every route: handlers run, and the denials enforcing would give are logged. A route or
   * controller overrides it with `@MfaReportOnly(false)`. Default false.
   */
  reportOnly?: boolean;
  /**
   * A grace period for every route: report-only before this date, enforced from it on. A `Date` or an ISO
   * 8601 string with a time zone; a bad one stops the app at start-up. `@MfaEnforceFrom` overrides it.
   */
  enforceFrom?: Date | string;
  /**
   * A response header (e.g. `MFA-Enforce-From`) that tells clients when enforcement starts, set on requests
   * a grace period let through that enforcing would deny; its value is the date in ISO 8601. Default none.
   */
  enforceFromHeader?: string;
  /** Builds the JSON body of a denial (401, 403, 503) instead of the default one. */
  errorBody?: MfaErrorBodyBuilder;
  /** Binding cache settings. */
  cache?: MfaCacheOptions;
  /** Circuit breaker in front of GenAuth for the guard's lookups. */
  circuitBreaker?: MfaCircuitBreakerOptions;
  /**
   * `Retry-After` of a 503 when GenAuth gave none, in seconds, 1 to 3600. Default 5. A `Retry-After` from
   * GenAuth is relayed as a whole number of seconds from 1 to 3600.
   */
  unavailableRetryAfterSeconds?: number;
  /**
   * Most upstream lookups the guard runs at once, across users (one per user at most). Lookups beyond it
   * wait their turn, within the lookup deadline, then answer 503. Default 32.
   */
  maxConcurrentLookups?: number;
  /** HTTP settings of the GenAuth client (agents, proxy). */
  http?: MfaHttpOptions;
  /**
   * Hears of every decision of the guard (allowed, denied, unavailable, failed open, report-only). Called
   * synchronously and never awaited: a promise it returns (`audit.write(event)`) adds no latency. A throw
   * or a rejection never changes an answer nor reaches the process; it is logged once per kind of error.
   */
  onDecision?: MfaDecisionListener;
  /**
   * Emit each decision as `MFA_DECISION_EVENT` (`'mfa.decision'`) on `@nestjs/event-emitter`'s emitter,
   * when the app has `EventEmitterModule`. Default true.
   */
  decisionEvents?: boolean;
  /** Register OpenTelemetry metrics when `@opentelemetry/api` is installed. Default true. */
  metrics?: boolean;
}

export type { MfaHttpOptions, MfaProxyConfig };

/** Settings of the guard's binding cache. */
export interface MfaCacheOptions {
  /**
   * How long a user with at least one factor bound is cached, in ms. Default 60000; 0 caches no such
   * answer (negative answers follow `negativeTtlMs`: set both to 0 to cache nothing).
   */
  ttlMs?: number;
  /** How long a user with nothing bound (or unknown to GenAuth) is cached, in ms. Default 5000; 0: never. */
  negativeTtlMs?: number;
  /** Most users held by the in-memory cache; the least recently used goes first. Default 100000. */
  maxEntries?: number;
  /** A shared store (Redis, ...) to use instead of the in-memory cache. */
  store?: MfaBindingCache;
}

/** Settings of the circuit breaker. */
export interface MfaCircuitBreakerOptions {
  /** Consecutive upstream failures that open the circuit. Default 5; 0 disables the breaker. */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial call, in ms. Default 10000. */
  resetTimeoutMs?: number;
}

/**
 * Options of `MfaModule.forRootAsync()`: `useFactory` (with `inject` and `imports`), `useClass` or
 * `useExisting`, plus `isGlobal`.
 */
export type MfaModuleAsyncOptions = ConfigurableModuleAsyncOptions<MfaModuleOptions, 'createMfaOptions'> & {
  /** Make the module's providers visible everywhere. Default false. */
  isGlobal?: boolean;
};
