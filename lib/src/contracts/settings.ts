import type { ExecutionContext } from '@nestjs/common';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { MfaBindingCache } from './binding-store.js';
import type { MfaDecisionEvent } from './decision.js';
import type { MfaDenial } from './denial.js';
import type { CompiledPolicy } from './policy.js';
import type { MfaUserRef, UserIdType } from './user-ref.js';
import type { MfaStepUpSettings } from './verification.js';

// The module's options after validation, one view per consumer: the guard, the engine and the resolver
// never see the credentials. `options/mfa-options.validation.ts` builds them.

/** Finds the user of a request: `resolveUser`. */
export type MfaUserResolver = (context: ExecutionContext) => MfaUserRef | undefined | Promise<MfaUserRef | undefined>;

/** Builds the JSON body of a denial: `errorBody`. */
export type MfaErrorBodyBuilder = (denial: MfaDenial, context: ExecutionContext) => object;

/** Where a user enrolls factors: `enrollmentUrl`. */
export type MfaEnrollmentUrl = string | ((context: ExecutionContext) => string | undefined);

/** Hears of every decision: `onDecision`. Its result is not awaited; a rejection is logged. */
export type MfaDecisionListener = (event: MfaDecisionEvent) => unknown;

/** An HTTP proxy, in the shape axios takes (`AxiosProxyConfig`). */
export interface MfaProxyConfig {
  /** The proxy's host name or address. */
  host: string;
  /** The proxy's port. */
  port: number;
  /** `http` (default) or `https`. */
  protocol?: string;
  /** Basic credentials for the proxy. */
  auth?: { username: string; password: string };
}

/** HTTP settings of the GenAuth client. Checked at start-up. */
export interface MfaHttpOptions {
  /** Agent for `http://` hosts. Default: a keep-alive agent of this module's own. */
  httpAgent?: HttpAgent;
  /**
   * Agent for `https://` hosts, e.g. `new https.Agent({ keepAlive: true, ca })` for a private deployment's
   * certificate authority. Default: a keep-alive agent of this module's own.
   */
  httpsAgent?: HttpsAgent;
  /**
   * An HTTP proxy to reach GenAuth through, sent by axios (install `axios`, an optional peer). Default: none,
   * straight to GenAuth on node:http; the `HTTP(S)_PROXY` variables are not read. `false` is the same as none.
   */
  proxy?: MfaProxyConfig | false;
}

/** Header names and scheme word of one signature flavor. */
export interface SignatureFlavor {
  /** Prefix of the signed headers: `x-genauth-` or `x-authing-`. */
  readonly headerPrefix: 'x-genauth-' | 'x-authing-';
  /** Word before `<accessKeyId>:<signature>` in `authorization`: `GenAuth` or `authing`. */
  readonly scheme: 'GenAuth' | 'authing';
}

/** What the GenAuth client needs, credentials included. Only the client sees it. @internal */
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
  /** The Authentication API's host (the application's), for `MfaFactorService`. */
  readonly appHost: string;
  /** The application of the Authentication API calls (`appId`). */
  readonly appId: string | undefined;
  /** How the user's token travels: raw (the official SDK) or `Bearer` (GenAuth's OpenAPI document). */
  readonly userTokenScheme: 'raw' | 'bearer';
}

/** What `MfaManagementService` needs beyond the client. @internal */
export interface MfaServiceSettings {
  readonly userIdType: UserIdType;
  readonly appId: string | undefined;
  /** `verifyCredentials`: check the key pair at start-up, and what a refusal does. */
  readonly verifyCredentials: 'fail' | 'warn' | false;
}

/**
 * What the guard needs, validated and defaulted, under the option names of `MfaModuleOptions`. Injected
 * into `MfaGuard` as `settings` under `MFA_GUARD_SETTINGS`; it holds no credential.
 */
export interface MfaGuardSettings {
  readonly userIdType: UserIdType;
  /** @internal */
  readonly defaultPolicy: CompiledPolicy | undefined;
  readonly resolveUser: MfaUserResolver | undefined;
  readonly failOpen: boolean;
  readonly enrollmentUrl: MfaEnrollmentUrl | undefined;
  readonly redirectToEnrollment: boolean;
  readonly reportOnly: boolean;
  /** `enforceFrom`, in ms since the epoch. */
  readonly enforceFrom: number | undefined;
  readonly enforceFromHeader: string | undefined;
  /** Where a browser verifies a factor again for a step-up route (the 401's `stepUpUrl`, the 303's target). */
  readonly stepUpUrl: MfaEnrollmentUrl | undefined;
  readonly errorBody: MfaErrorBodyBuilder | undefined;
  readonly unavailableRetryAfterSeconds: number;
}

/** What the telemetry needs: who hears of decisions, and whether metrics are registered. @internal */
export interface MfaTelemetrySettings {
  readonly onDecision: MfaDecisionListener | undefined;
  readonly decisionEvents: boolean;
  readonly metrics: boolean;
}

/** What the binding resolver needs: the cache, the breaker and the bounds of a lookup. @internal */
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

/** The module's options after validation, one view per consumer. @internal */
export interface MfaSettings {
  readonly client: MfaClientSettings;
  readonly service: MfaServiceSettings;
  readonly guard: MfaGuardSettings;
  readonly lookup: MfaLookupSettings;
  readonly telemetry: MfaTelemetrySettings;
  readonly stepUp: MfaStepUpSettings;
}
