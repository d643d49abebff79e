import { Inject, Injectable, Logger, mixin, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { factorsOfMask } from '../mfa-factor.js';
import {
  MFA_ENFORCE_FROM_METADATA,
  MFA_FAIL_OPEN_METADATA,
  MFA_GUARD_SETTINGS,
  MFA_REPORT_ONLY_METADATA,
  MFA_SKIP_METADATA,
} from '../mfa.constants.js';
import type { MfaUserRef } from '../mfa-management.types.js';
import type { MfaGuardSettings } from '../mfa-options.validation.js';
import { isUserIdType, USER_ID_MAX_LENGTH } from '../dto/user-id-type.js';
import { MfaUnavailableError, MfaUserRejectedError } from '../errors/mfa-lookup.errors.js';
import { MfaBindingResolver } from './mfa-binding.resolver.js';
import { routePolicy } from './mfa-route-policy.js';
import { defaultDenialBody, type MfaDenial } from './mfa-denial.js';
import {
  carrierOf,
  denialError,
  isKnownTransport,
  isTransportReady,
  loadTransport,
  requestKeyOf,
  responseOf,
} from './mfa-transports.js';
import { userRefOf } from './mfa-user.js';
import type { MfaDecisionEvent, MfaDecisionOutcome } from '../observability/mfa-decision.event.js';
import type { RouteDecisionCounts } from '../observability/mfa-metrics.js';
import { enrollmentRedirect } from './mfa-enrollment-redirect.js';
import { MfaEnrollmentRedirectException } from '../errors/mfa.exceptions.js';
import {
  compilePolicy,
  compileStaticPolicy,
  isSatisfied,
  type CompiledPolicy,
  type MfaPolicyInput,
  type RequiredFactors,
} from './mfa-policy.js';

/** What the decorators say of one route for this guard, read once per route. */
interface RouteSettings {
  /** The policy to check; undefined when the route is skipped or has none. */
  readonly policy: CompiledPolicy | undefined;
  readonly failOpen: boolean;
  /** Report-only (`@MfaReportOnly`, `reportOnly`): denials are logged, not given. */
  readonly reportOnly: boolean;
  /** Start of enforcement (`@MfaEnforceFrom`, `enforceFrom`), ms since the epoch; report-only before it. */
  readonly enforceFrom: number | undefined;
  /** This route's decision counts, for the metrics. */
  readonly counts: RouteDecisionCounts;
}

// Answers that took I/O, per request, so that a second MFA guard on the same request reuses them. A WeakMap
// rather than properties on the request: adding properties would change the request object's shape.
const checked = new WeakMap<object, { userIdType: string; userId: string; mask: number }>();

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/**
 * The MFA guard. Use {@link RequireMfaBound} to get it; subclass it (or the class RequireMfaBound returns)
 * to change where the request, the user or the error body come from.
 */
@Injectable()
export class MfaGuard implements CanActivate {
  /** Marks MFA guard classes, so that routes can be audited for conflicting declarations. */
  static readonly isMfaGuard = true;
  /** The policy given to `RequireMfaBound(policy)`; when undefined the route's metadata decides. */
  protected readonly fixedPolicy: CompiledPolicy | undefined = undefined;
  private readonly logger = new Logger('MfaGuard');
  private readonly routes = new WeakMap<object, WeakMap<object, RouteSettings>>();
  // The previous request's route, in three fields so that switching routes allocates nothing.
  private lastType: object | undefined;
  private lastHandler: object | undefined;
  private lastSettings: RouteSettings | undefined;
  private readonly unreadable = new Set<string>();

  constructor(
    @Inject(Reflector) protected readonly reflector: Reflector,
    @Inject(MFA_GUARD_SETTINGS) protected readonly settings: MfaGuardSettings,
    @Inject(MfaBindingResolver) protected readonly bindings: MfaBindingResolver,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const route = this.routeSettings(context);
    const policy = route.policy;
    if (policy === undefined) return true;
    const type = context.getType<string>();
    if (type !== 'http' && !isTransportReady(type)) {
      return loadTransport(type as 'ws' | 'rpc').then(() => this.canActivate(context));
    }
    const request = this.getRequest(context);
    // HTTP, by far the most common, needs no look-up: its request is the key.
    const key = type === 'http' ? context.getArgByIndex<object>(0) : requestKeyOf(context, type, request);
    const user = this.getUser(context, request ?? {});
    if (isThenable(user)) {
      return Promise.resolve(user).then((found) => this.checkUser(context, key, route, policy, found));
    }
    return this.checkUser(context, key, route, policy, user);
  }

  /**
   * The object that carries the user: the HTTP request; the request of a GraphQL context; the socket of a
   * WebSocket message; the payload of a microservice message. Override for other context types.
   */
  protected getRequest(context: ExecutionContext): unknown {
    return carrierOf(context, context.getType());
  }

  /** The response, where `Retry-After` is set: HTTP's, or the one behind a GraphQL request. */
  protected getResponse(context: ExecutionContext): unknown {
    return responseOf(context, context.getType());
  }

  /**
   * The user to check: the `resolveUser` option, else the `id`, `sub` or `userId` (a string or a number)
   * of `user` on what {@link getRequest} returns (for socket.io also of `socket.data.user`). Return
   * undefined when there is none; a promise is awaited (synchronous answers stay fast).
   */
  protected getUser(
    context: ExecutionContext,
    request: { readonly user?: unknown },
  ): MfaUserRef | undefined | Promise<MfaUserRef | undefined> {
    if (this.settings.resolveUser) return this.settings.resolveUser(context);
    return userRefOf(request, context.getType());
  }

  /** The body of a denial: the `errorBody` option, else the documented default. */
  protected buildErrorBody(denial: MfaDenial, context: ExecutionContext): object {
    return this.settings.errorBody ? this.settings.errorBody(denial, context) : defaultDenialBody(denial);
  }

  /**
   * Throws a denial in the context's own idiom: an `HttpException` for HTTP (with `Retry-After` on a 503,
   * and a 303 to the enrollment page for a browser navigation that misses a factor),
   * an {@link MfaGraphQLDenialError} for GraphQL, a `WsException` or an `RpcException` with the body (over
   * gRPC: status PERMISSION_DENIED, UNAUTHENTICATED or UNAVAILABLE, the body as JSON in `details`).
   */
  protected throwDenial(denial: MfaDenial, context: ExecutionContext): never {
    if (denial.code === 'MFA_NOT_BOUND' && this.settings.redirectToEnrollment && context.getType() === 'http') {
      const location = enrollmentRedirect(this.getRequest(context), denial.enrollmentUrl);
      if (location !== undefined && this.setHeader(context, 'Location', location)) {
        throw new MfaEnrollmentRedirectException(location, {
          statusCode: 303,
          code: denial.code,
          message: `Enroll ${denial.missingFactors.join(', ')} to continue.`,
          location,
        });
      }
    }
    const body = this.buildErrorBody(denial, context);
    if (denial.code === 'MFA_UNAVAILABLE') this.setHeader(context, 'Retry-After', String(denial.retryAfterSeconds));
    throw denialError(context, context.getType(), denial, body);
  }

  private checkUser(
    context: ExecutionContext,
    requestKey: object | undefined,
    route: RouteSettings,
    policy: CompiledPolicy,
    user: MfaUserRef | undefined,
  ): boolean | Promise<boolean> {
    // An identifier GenAuth cannot take is this user's problem, not an outage: 401, before any key is built.
    if (
      !user ||
      typeof user.userId !== 'string' ||
      user.userId === '' ||
      user.userId.length > USER_ID_MAX_LENGTH ||
      (user.userIdType !== undefined && !isUserIdType(user.userIdType))
    ) {
      if (!user) this.warnUnreadable(context);
      return this.deny(context, route, { code: 'MFA_USER_UNRESOLVED', status: 401 }, user, undefined, undefined);
    }
    if (policy.kind === 'static') return this.checkFactors(context, requestKey, route, policy.required, user);
    const required = this.resolvePolicy(policy, context);
    if (isThenable(required)) {
      return Promise.resolve(required).then(
        (found) => this.checkFactors(context, requestKey, route, found, user),
        (error: unknown) => this.policyFailed(context, error),
      );
    }
    return this.checkFactors(context, requestKey, route, required, user);
  }

  private checkFactors(
    context: ExecutionContext,
    requestKey: object | undefined,
    route: RouteSettings,
    required: RequiredFactors,
    user: MfaUserRef,
  ): boolean | Promise<boolean> {
    const userIdType = user.userIdType ?? this.settings.userIdType;
    const userId = user.userId;
    // A warm in-memory answer first: it is what most requests get, and it needs no per-request memo.
    const warm = this.bindings.memoryMask(userIdType, userId);
    if (warm !== undefined) return this.decide(context, route, required, warm, user, undefined);
    const earlier = requestKey === undefined ? undefined : checked.get(requestKey);
    if (earlier !== undefined && earlier.userId === userId && earlier.userIdType === userIdType) {
      return this.decide(context, route, required, earlier.mask, user, undefined);
    }
    const mask = this.bindings.boundMask(userIdType, userId);
    if (typeof mask === 'number') return this.decide(context, route, required, mask, user, undefined);
    const started = performance.now();
    return mask.then(
      (loaded) => {
        if (requestKey !== undefined) checked.set(requestKey, { userIdType, userId, mask: loaded });
        return this.decide(context, route, required, loaded, user, performance.now() - started);
      },
      (error: unknown) => this.unavailable(context, route, error, user, required, performance.now() - started),
    );
  }

  private decide(
    context: ExecutionContext,
    route: RouteSettings,
    required: RequiredFactors,
    mask: number,
    user: MfaUserRef,
    lookupMs: number | undefined,
  ): boolean {
    if (isSatisfied(required, mask)) {
      route.counts.allowed += 1;
      const telemetry = this.bindings.telemetry;
      if (telemetry.listening) {
        telemetry.decision(decisionEvent(context, 'allowed', undefined, user, required, lookupMs, undefined));
      }
      return true;
    }
    const url = this.settings.enrollmentUrl;
    return this.deny(
      context,
      route,
      {
        code: 'MFA_NOT_BOUND',
        status: 403,
        required,
        boundFactors: factorsOfMask(mask),
        missingFactors: factorsOfMask(required.mask & ~mask),
        enrollmentUrl: typeof url === 'function' ? url(context) : url,
      },
      user,
      required,
      lookupMs,
    );
  }

  /**
   * Gives a denial ({@link throwDenial}) where the route is enforced; where it is report-only, or in its
   * grace period, logs it (with the `enforceFromHeader` on a grace-period response) and lets it through.
   */
  private deny(
    context: ExecutionContext,
    route: RouteSettings,
    denial: MfaDenial,
    user: MfaUserRef | undefined,
    required: RequiredFactors | undefined,
    lookupMs: number | undefined,
  ): boolean {
    const { reportOnly, enforceFrom } = route;
    if (!reportOnly && (enforceFrom === undefined || Date.now() >= enforceFrom)) {
      const outcome = denial.code === 'MFA_UNAVAILABLE' ? 'unavailable' : 'denied';
      this.record(context, route, outcome, denial, user, required, lookupMs, undefined);
      return this.throwDenial(denial, context);
    }
    const until = reportOnly ? undefined : new Date(enforceFrom!).toISOString();
    const header = this.settings.enforceFromHeader;
    if (until !== undefined && header !== undefined && denial.code === 'MFA_NOT_BOUND') {
      this.setHeader(context, header, until);
    }
    const missing = denial.code === 'MFA_NOT_BOUND' ? ` (missing ${denial.missingFactors.join(', ')})` : '';
    this.logger.log(
      `${until === undefined ? 'report-only' : `grace period until ${until}`}: ${routeName(context)} would deny ` +
        `${user ? `user ${JSON.stringify(user.userId)}` : 'a request without a user'} with ${denial.code}${missing}`,
    );
    this.record(context, route, 'report_only', denial, user, required, lookupMs, until);
    return true;
  }

  /** Counts a decision other than `allowed`, and hands it to the listeners when there are any. */
  private record(
    context: ExecutionContext,
    route: RouteSettings,
    outcome: Exclude<MfaDecisionOutcome, 'allowed'>,
    denial: MfaDenial,
    user: MfaUserRef | undefined,
    required: RequiredFactors | undefined,
    lookupMs: number | undefined,
    enforceFrom: string | undefined,
  ): void {
    const telemetry = this.bindings.telemetry;
    telemetry.count(outcome, denial.code, route.counts.policy);
    if (telemetry.listening) {
      telemetry.decision(decisionEvent(context, outcome, denial, user, required, lookupMs, enforceFrom));
    }
  }

  /** Sets a header on the context's response, when it has one; says whether it did. */
  private setHeader(context: ExecutionContext, name: string, value: string): boolean {
    const response = this.getResponse(context) as { header?: (name: string, value: string) => unknown } | undefined;
    if (!response || typeof response.header !== 'function') return false;
    response.header(name, value);
    return true;
  }

  private resolvePolicy(
    policy: CompiledPolicy & { kind: 'dynamic' },
    context: ExecutionContext,
  ): RequiredFactors | Promise<RequiredFactors> {
    try {
      return policy.resolve(context);
    } catch (error) {
      return this.policyFailed(context, error);
    }
  }

  /** A bug in the app's policy function: a 500 for this request, and a log line that names the route. */
  private policyFailed(context: ExecutionContext, error: unknown): never {
    const detail = error instanceof Error ? error.message : String(error);
    this.logger.error(`the policy function of ${routeName(context)} failed: ${detail}`);
    throw error;
  }

  private unavailable(
    context: ExecutionContext,
    route: RouteSettings,
    error: unknown,
    user: MfaUserRef,
    required: RequiredFactors,
    lookupMs: number,
  ): boolean {
    if (error instanceof MfaUserRejectedError) {
      return this.deny(context, route, { code: 'MFA_USER_UNRESOLVED', status: 401 }, user, required, lookupMs);
    }
    const reason = error instanceof Error ? error.message : String(error);
    const retryAfterSeconds =
      error instanceof MfaUnavailableError ? error.retryAfterSeconds : this.settings.unavailableRetryAfterSeconds;
    const denial: MfaDenial = { code: 'MFA_UNAVAILABLE', status: 503, retryAfterSeconds };
    if (route.failOpen) {
      this.logger.warn(`failing open on ${routeName(context)}: ${reason}`);
      this.record(context, route, 'failed_open', denial, user, required, lookupMs, undefined);
      return true;
    }
    return this.deny(context, route, denial, user, required, lookupMs);
  }

  /** A context type the guard cannot read and nothing configured to read it: said once per route. */
  private warnUnreadable(context: ExecutionContext): void {
    const type = context.getType<string>();
    if (isKnownTransport(type) || this.settings.resolveUser) return;
    const route = routeName(context);
    if (this.unreadable.has(route)) return;
    this.unreadable.add(route);
    this.logger.warn(
      `cannot find the user of a '${type}' context on ${route}: denied with MFA_USER_UNRESOLVED. ` +
        'Give the resolveUser option, or override getRequest() or getUser() in a subclass of the guard.',
    );
  }

  private routeSettings(context: ExecutionContext): RouteSettings {
    const handler = context.getHandler();
    const type = context.getClass();
    // The route of the previous request first: hot routes skip both WeakMap lookups.
    if (handler === this.lastHandler && type === this.lastType) return this.lastSettings!;
    let byHandler = this.routes.get(type);
    if (!byHandler) this.routes.set(type, (byHandler = new WeakMap()));
    let settings = byHandler.get(handler);
    if (!settings) {
      const targets = [handler, type];
      const skip = this.reflector.getAllAndOverride<boolean>(MFA_SKIP_METADATA, targets) === true;
      const failOpen = this.reflector.getAllAndOverride<boolean | undefined>(MFA_FAIL_OPEN_METADATA, targets);
      const reportOnly = this.reflector.getAllAndOverride<boolean | undefined>(MFA_REPORT_ONLY_METADATA, targets);
      const enforceFrom = this.reflector.getAllAndOverride<number | undefined>(MFA_ENFORCE_FROM_METADATA, targets);
      const policy = skip
        ? undefined
        : routePolicy(this.reflector, type, handler, this.constructor, this.fixedPolicy, this.settings.defaultPolicy);
      settings = {
        policy,
        failOpen: failOpen ?? this.settings.failOpen,
        reportOnly: reportOnly ?? this.settings.reportOnly,
        enforceFrom: enforceFrom ?? this.settings.enforceFrom,
        counts: policy ? this.bindings.telemetry.route(policyLabel(policy)) : UNCHECKED_ROUTE,
      };
      byHandler.set(handler, settings);
    }
    this.lastType = type;
    this.lastHandler = handler;
    this.lastSettings = settings;
    return settings;
  }
}

/** The counts of routes the guard does not check: never read. */
const UNCHECKED_ROUTE: RouteDecisionCounts = { policy: 'none', allowed: 0 };

/** The policy as the metrics name it: `anyOf(TOTP)`, `allOf(EMAIL,SMS)`, or `dynamic` for a function. */
function policyLabel(policy: CompiledPolicy): string {
  if (policy.kind === 'dynamic') return 'dynamic';
  return `${policy.required.mode}(${policy.required.factors.join(',')})`;
}

function decisionEvent(
  context: ExecutionContext,
  outcome: MfaDecisionOutcome,
  denial: MfaDenial | undefined,
  user: MfaUserRef | undefined,
  required: RequiredFactors | undefined,
  lookupMs: number | undefined,
  enforceFrom: string | undefined,
): MfaDecisionEvent {
  return {
    outcome,
    ...(denial ? { code: denial.code } : {}),
    transport: context.getType(),
    route: routeName(context),
    ...(user ? { user: { ...user } } : {}),
    ...(required ? { policy: { mode: required.mode, factors: required.factors } } : {}),
    ...(denial?.code === 'MFA_NOT_BOUND' ? { missingFactors: denial.missingFactors } : {}),
    fromCache: lookupMs === undefined,
    ...(lookupMs === undefined ? {} : { lookupMs }),
    ...(enforceFrom === undefined ? {} : { enforceFrom }),
  };
}

/** A route as logs and events name it: `Controller.handler`. */
function routeName(context: ExecutionContext): string {
  return `${context.getClass().name}.${context.getHandler().name}`;
}

const guards = new Map<unknown, Type<MfaGuard>>();

/**
 * The MFA guard class for a policy, memoized per policy (like `AuthGuard('jwt')`). Without a policy it is
 * {@link MfaGuard} itself, which reads `@MfaPolicy()`, else the module's `defaultPolicy`. The most specific
 * declaration wins: the method's (a policy given to the guard there, then `@MfaPolicy`), then the
 * controller's, then a global guard's policy, then `defaultPolicy`.
 * @example
 * ```ts
 * @UseGuards(RequireMfaBound('TOTP'))
 * @Get('secrets')
 * secrets() {}
 *
 * // or everywhere: { provide: APP_GUARD, useClass: RequireMfaBound() }
 * ```
 */
export function RequireMfaBound(policy?: MfaPolicyInput): Type<MfaGuard> {
  if (policy === undefined) return MfaGuard;
  let memoKey: unknown = policy;
  if (policy !== undefined && typeof policy !== 'function') {
    const required = compileStaticPolicy(policy);
    memoKey = `${required.mode}:${required.mask}`;
  }
  let guard = guards.get(memoKey);
  if (!guard) {
    const compiled = compilePolicy(policy);
    class PolicyMfaGuard extends MfaGuard {
      static readonly mfaPolicy = compiled;
      protected override readonly fixedPolicy = compiled;
    }
    guard = mixin(PolicyMfaGuard);
    guards.set(memoKey, guard);
  }
  return guard;
}
