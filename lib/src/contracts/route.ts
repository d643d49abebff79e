import type { ExecutionContext } from '@nestjs/common';
import type { CompiledPolicy } from './policy.js';
import type { MfaUserRef } from './user-ref.js';

/** A route's decision counts, for the metrics (one object per route of each guard). @internal */
export interface RouteDecisionCounts {
  /** `anyOf(TOTP)`, `allOf(EMAIL,SMS)`, or `dynamic` for a policy function. */
  readonly policy: string;
  allowed: number;
}

/** What the decorators and the module say of one route, read once per route. @internal */
export interface MfaRoute {
  /** `Controller.handler`, as logs and events name it. */
  readonly name: string;
  /** The policy to check; undefined when the route is skipped or has none. */
  readonly policy: CompiledPolicy | undefined;
  readonly failOpen: boolean;
  /** Denials are logged, not given (`@MfaReportOnly`, `reportOnly`). */
  readonly reportOnly: boolean;
  /** Start of enforcement (ms since the epoch): report-only before it (`@MfaEnforceFrom`, `enforceFrom`). */
  readonly enforceFrom: number | undefined;
  readonly counts: RouteDecisionCounts;
}

/** One request to decide: built once per request by the guard, handed whole to the engine. @internal */
export interface MfaCheck {
  readonly context: ExecutionContext;
  /** The context type (`http`, `graphql`, `ws`, `rpc`, ...). */
  readonly transport: string;
  readonly route: MfaRoute;
  /** What carries the user (the HTTP request, ...): step-up reads its claims and session from it. */
  readonly carrier: unknown;
  /** The user found on the request, unchecked (the engine checks it). */
  readonly user: MfaUserRef | undefined;
  /** What stands for this one request, so that a second MFA guard on it reuses an answer that took I/O. */
  readonly requestKey: object | undefined;
}
