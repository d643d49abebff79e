import { mixin, type Type } from '@nestjs/common';
import type { CompiledPolicy, MfaPolicyInput, MfaStepUpOptions } from '../contracts/policy.js';
import { compilePolicy, compileStaticPolicy } from '../policy/policy-compiler.js';
import { MfaGuard } from './mfa.guard.js';

const guards = new Map<unknown, Type<MfaGuard>>();
let dynamicGuards = 0;

/**
 * The class's name as Nest's messages print it (`Nest can't resolve dependencies of the
 * RequireMfaBound(TOTP) ...`), unique per class as Nest's `mixin` names are.
 */
function guardName(compiled: CompiledPolicy): string {
  if (compiled.kind === 'dynamic') return `RequireMfaBound(dynamic policy #${(dynamicGuards += 1)})`;
  const { mode, factors, maxAgeSeconds } = compiled.required;
  const window = maxAgeSeconds === undefined ? '' : `, verified within ${maxAgeSeconds}s`;
  return `RequireMfaBound(${factors.length === 1 ? factors[0] : `${mode}: ${factors.join(', ')}`}${window})`;
}

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
 * // step-up: TOTP verified within the last 10 minutes
 * @UseGuards(RequireMfaBound('TOTP', { verifiedWithin: '10m' }))
 *
 * // or everywhere: { provide: APP_GUARD, useClass: RequireMfaBound() }
 * ```
 */
export function RequireMfaBound(policy?: MfaPolicyInput, options: MfaStepUpOptions = {}): Type<MfaGuard> {
  if (policy === undefined) return MfaGuard;
  let memoKey: unknown = policy;
  if (typeof policy !== 'function') {
    // Compiled requirements are shared objects, one per requirement: the object is the key.
    memoKey = compileStaticPolicy(policy, options);
  } else if (options.verifiedWithin !== undefined || options.acrValues !== undefined) {
    memoKey = undefined;
  }
  let guard = memoKey === undefined ? undefined : guards.get(memoKey);
  if (!guard) {
    const compiled: CompiledPolicy = compilePolicy(policy, options);
    class PolicyMfaGuard extends MfaGuard {
      static readonly mfaPolicy = compiled;
      protected override readonly fixedPolicy = compiled;
    }
    guard = mixin(PolicyMfaGuard);
    Object.defineProperty(guard, 'name', { value: guardName(compiled) });
    if (memoKey !== undefined) guards.set(memoKey, guard);
  }
  return guard;
}
