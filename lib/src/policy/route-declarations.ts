import type { Type } from '@nestjs/common';
import type { CompiledPolicy } from '../contracts/policy.js';
import type { MfaGuardSettings } from '../contracts/settings.js';
import { MFA_METADATA } from '../contracts/tokens.js';
import type { MetadataReader } from './metadata-reader.js';
import { rolloutOf } from './rollout.js';

// Where @UseGuards() keeps its list: the value of Nest's GUARDS_METADATA, stable since Nest 5 and not
// exported from @nestjs/common's root (a deep import would break under an exports map).
const GUARDS_METADATA = '__guards__';

/** What a guard class made by `RequireMfaBound(policy)` carries, so that routes can be audited. */
export interface MfaGuardClass {
  readonly mfaPolicy?: CompiledPolicy;
  readonly isMfaGuard?: true;
}

/** The fixed policy of an MFA guard (class or instance) in a `@UseGuards` list; undefined for any other guard. */
export function fixedPolicyOf(guard: unknown): CompiledPolicy | undefined {
  const type = (typeof guard === 'function' ? guard : (guard as { constructor?: unknown })?.constructor) as
    MfaGuardClass | undefined;
  return type?.isMfaGuard ? type.mfaPolicy : undefined;
}

function guardsOf(target: object): unknown[] {
  return (Reflect.getMetadata(GUARDS_METADATA, target) as unknown[] | undefined) ?? [];
}

/** Whether `guard` (a class) is attached to `target` by `@UseGuards`, as a class or an instance. */
export function isAttachedTo(target: object, guard: unknown): boolean {
  return guardsOf(target).some((g) => g === guard || (g as { constructor?: unknown })?.constructor === guard);
}

/**
 * The policy a route needs, most specific first: the method (a policy given to the guard there, then
 * `@MfaPolicy`), then the controller (likewise), then a policy given to a global guard, then the
 * module's `defaultPolicy`. `guardPolicy` is the policy of the guard asking, `guardType` its class.
 */
export function routePolicy(
  reflector: MetadataReader,
  type: Type,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- what ExecutionContext.getHandler() gives
  handler: Function,
  guardType: unknown,
  guardPolicy: CompiledPolicy | undefined,
  defaultPolicy: CompiledPolicy | undefined,
): CompiledPolicy | undefined {
  const onHandler = guardPolicy !== undefined && isAttachedTo(handler, guardType);
  const onClass = guardPolicy !== undefined && !onHandler && isAttachedTo(type, guardType);
  if (onHandler) return guardPolicy;
  const handlerPolicy = reflector.get<CompiledPolicy | undefined>(MFA_METADATA.policy, handler);
  if (handlerPolicy) return handlerPolicy;
  if (onClass) return guardPolicy;
  return reflector.get<CompiledPolicy | undefined>(MFA_METADATA.policy, type) ?? guardPolicy ?? defaultPolicy;
}

/** Whether two compiled policies ask the same (functions: the same function). */
export function samePolicy(a: CompiledPolicy, b: CompiledPolicy): boolean {
  if (a.kind === 'static' && b.kind === 'static') return a.required === b.required;
  return a === b;
}

/**
 * Declarations on one route that do not say the same thing: a policy given to a guard beside a different
 * `@MfaPolicy` at the same level, or two MFA guards with different policies (every one of which must pass).
 */
export function routeConflicts(type: object, handler: object): string[] {
  const conflicts: string[] = [];
  const levels: [string, object][] = [
    ['method', handler],
    ['controller', type],
  ];
  const fixed: CompiledPolicy[] = [];
  for (const [level, target] of levels) {
    const decorated = Reflect.getMetadata(MFA_METADATA.policy, target) as CompiledPolicy | undefined;
    for (const guard of guardsOf(target)) {
      const policy = fixedPolicyOf(guard);
      if (!policy) continue;
      if (decorated && !samePolicy(decorated, policy)) {
        conflicts.push(`the ${level} has both RequireMfaBound(policy) and a different @MfaPolicy: the guard's wins`);
      }
      fixed.push(policy);
    }
  }
  if (fixed.some((p) => !samePolicy(p, fixed[0]!))) {
    conflicts.push('it has MFA guards with different policies: each of them must pass');
  }
  return conflicts;
}

/** What the decorators and the module's options say of one route, for one guard. */
export interface DeclaredRoute {
  /** `Controller.handler`. */
  readonly name: string;
  /** undefined when the route is skipped or has no policy. */
  readonly policy: CompiledPolicy | undefined;
  readonly failOpen: boolean;
  readonly reportOnly: boolean;
  readonly enforceFrom: number | undefined;
}

/** Where a route is, and which guard asks (its class and the policy it was given). */
export interface RouteSite {
  readonly reflector: MetadataReader;
  readonly controller: Type;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- what ExecutionContext.getHandler() gives
  readonly handler: Function;
  readonly guardType: unknown;
  readonly guardPolicy: CompiledPolicy | undefined;
}

/** Reads a route's declarations, most specific first (read once per route, then remembered by the guard). */
export function declaredRoute(site: RouteSite, defaults: MfaGuardSettings): DeclaredRoute {
  const { reflector, controller, handler } = site;
  const targets = [handler, controller];
  const skip = reflector.getAllAndOverride<boolean>(MFA_METADATA.skip, targets) === true;
  const failOpen = reflector.getAllAndOverride<boolean | undefined>(MFA_METADATA.failOpen, targets);
  const level = (target: object) => ({
    reportOnly: reflector.get<boolean | undefined>(MFA_METADATA.reportOnly, target),
    enforceFrom: reflector.get<number | undefined>(MFA_METADATA.enforceFrom, target),
  });
  const module = { reportOnly: defaults.reportOnly, enforceFrom: defaults.enforceFrom };
  const { reportOnly, enforceFrom } = rolloutOf([level(handler), level(controller), module]);
  return {
    name: `${controller.name}.${handler.name}`,
    policy: skip
      ? undefined
      : routePolicy(reflector, controller, handler, site.guardType, site.guardPolicy, defaults.defaultPolicy),
    failOpen: failOpen ?? defaults.failOpen,
    reportOnly,
    enforceFrom,
  };
}
