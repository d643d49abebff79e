import { Inject, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { MfaDecision } from '../contracts/decision.js';
import { defaultDenialBody, type MfaDenial } from '../contracts/denial.js';
import type { CompiledPolicy } from '../contracts/policy.js';
import type { MfaCheck, MfaRoute } from '../contracts/route.js';
import type { MfaGuardSettings } from '../contracts/settings.js';
import { MFA_GUARD_SETTINGS, MFA_METADATA_READER } from '../contracts/tokens.js';
import type { MfaUserRef } from '../contracts/user-ref.js';
import { MfaDecisionEngine } from '../decision/mfa-decision-engine.js';
import type { MetadataReader } from '../policy/metadata-reader.js';
import { declaredRoute } from '../policy/route-declarations.js';
import { setHeader, type MfaTransport } from '../transports/mfa-transport.js';
import { isKnownTransport, transportOf } from '../transports/registry.js';
import { isThenable } from '../util/thenable.js';

/** One request as the guard carries it: what the engine needs, and where the transport will answer. */
interface GuardRequest extends MfaCheck {
  readonly adapter: MfaTransport;
  user: MfaUserRef | undefined;
}

/**
 * The MFA guard. Use {@link RequireMfaBound} to get it; subclass it (or the class RequireMfaBound returns)
 * to change where the request, the user or the error body come from. It reads the route (once), reads the
 * user, asks the decision engine, and hands the decision to the context's transport.
 */
@Injectable()
export class MfaGuard implements CanActivate {
  /** Marks MFA guard classes, so that routes can be audited for conflicting declarations. */
  static readonly isMfaGuard = true;
  /** The policy given to `RequireMfaBound(policy)`; when undefined the route's metadata decides. @internal */
  protected readonly fixedPolicy: CompiledPolicy | undefined = undefined;
  private readonly logger = new Logger('MfaGuard');
  private readonly routes = new WeakMap<object, WeakMap<object, MfaRoute>>();
  // The previous request's route, in three fields so that switching routes allocates nothing.
  private lastType: object | undefined;
  private lastHandler: object | undefined;
  private lastRoute: MfaRoute | undefined;
  private readonly noUser = new Set<string>();

  constructor(
    @Inject(MFA_METADATA_READER) protected readonly reflector: MetadataReader,
    @Inject(MFA_GUARD_SETTINGS) protected readonly settings: MfaGuardSettings,
    @Inject(MfaDecisionEngine) protected readonly engine: MfaDecisionEngine,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const route = this.routeOf(context);
    if (route.policy === undefined) return true;
    const transport = context.getType<string>();
    const adapter = transportOf(transport);
    const preparing = adapter.prepare();
    if (preparing !== undefined) return preparing.then(() => this.canActivate(context));
    const carrier = this.getRequest(context);
    const request: GuardRequest = {
      context,
      transport,
      adapter,
      route,
      carrier,
      user: undefined,
      requestKey: adapter.requestKey(context, carrier),
    };
    const user = this.getUser(context, carrier ?? {});
    if (isThenable(user)) {
      return Promise.resolve(user).then((found) => {
        request.user = found;
        return this.decide(request);
      });
    }
    request.user = user;
    return this.decide(request);
  }

  /**
   * The object that carries the user: the HTTP request; the request of a GraphQL context; the socket of a
   * WebSocket message; the payload of a microservice message. Override for other context types.
   */
  protected getRequest(context: ExecutionContext): unknown {
    return transportOf(context.getType()).carrier(context);
  }

  /** The response, where `Retry-After` is set: HTTP's, or the one behind a GraphQL request. */
  protected getResponse(context: ExecutionContext): unknown {
    return transportOf(context.getType()).response(context);
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
    return transportOf(context.getType()).user(request);
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
    throw transportOf(context.getType()).denial(denial, {
      context,
      carrier: this.getRequest(context),
      response: this.getResponse(context),
      settings: this.settings,
      body: () => this.buildErrorBody(denial, context),
    });
  }

  private decide(request: GuardRequest): boolean | Promise<boolean> {
    if (request.user === undefined) this.warnNoUser(request);
    const decision = this.engine.decide(request);
    if (isThenable(decision)) return Promise.resolve(decision).then((found) => this.express(found, request));
    return this.express(decision, request);
  }

  /** The decision, as the transport says it: `true` to let the request through, else a thrown denial. */
  private express(decision: MfaDecision, request: GuardRequest): boolean {
    const { outcome, denial } = decision;
    if (outcome === 'allowed' || outcome === 'failed_open') return true;
    if (outcome === 'report_only') {
      const header = this.settings.enforceFromHeader;
      if (decision.enforceFrom !== undefined && header !== undefined && denial?.code === 'MFA_NOT_BOUND') {
        setHeader(this.getResponse(request.context), header, new Date(decision.enforceFrom).toISOString());
      }
      return true;
    }
    return this.throwDenial(denial!, request.context);
  }

  /** No user on a request: said once per route, with what was looked for and how to fix it. */
  private warnNoUser(request: GuardRequest): void {
    const route = request.route.name;
    if (this.noUser.has(route)) return;
    this.noUser.add(route);
    const where = `a '${request.transport}' context on ${route}`;
    const denied = 'denied with MFA_USER_UNRESOLVED (401); said once per route';
    if (this.settings.resolveUser) {
      this.logger.warn(`resolveUser found no user for ${where}: ${denied}. Return { userId } for signed-in users.`);
    } else if (!isKnownTransport(request.transport)) {
      this.logger.warn(
        `cannot find the user of ${where}: ${denied}. ` +
          'Give the resolveUser option, or override getRequest() or getUser() in a subclass of the guard.',
      );
    } else {
      this.logger.warn(
        `no user found for ${where}: looked for an id, sub or userId on ${request.adapter.userSource}; ${denied}. ` +
          'If the route is for signed-in users, run your authentication guard before the MFA guard ' +
          '(@UseGuards(AuthGuard, RequireMfaBound(...)) in that order; a global MFA guard runs before controller ' +
          'guards, so register the authentication guard as an APP_GUARD ahead of it), or give resolveUser.',
      );
    }
  }

  private routeOf(context: ExecutionContext): MfaRoute {
    const handler = context.getHandler();
    const controller = context.getClass();
    // The route of the previous request first: hot routes skip both WeakMap lookups.
    if (handler === this.lastHandler && controller === this.lastType) return this.lastRoute!;
    let byHandler = this.routes.get(controller);
    if (!byHandler) this.routes.set(controller, (byHandler = new WeakMap()));
    let route = byHandler.get(handler);
    if (!route) {
      const site = {
        reflector: this.reflector,
        controller,
        handler,
        guardType: this.constructor,
        guardPolicy: this.fixedPolicy,
      };
      const declared = declaredRoute(site, this.settings);
      route = { ...declared, counts: declared.policy ? this.engine.countsFor(declared.policy) : UNCHECKED_ROUTE };
      byHandler.set(handler, route);
    }
    this.lastType = controller;
    this.lastHandler = handler;
    this.lastRoute = route;
    return route;
  }
}

/** The counts of routes the guard does not check: never read. */
const UNCHECKED_ROUTE = { policy: 'none', allowed: 0 };
