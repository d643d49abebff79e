import { mixin, type Type } from '@nestjs/common';
import type { CompiledPolicy, MfaPolicyInput } from '../contracts/policy.js';
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
  const { mode, factors } = compiled.required;
  return `RequireMfaBound(${factors.length === 1 ? factors[0] : `${mode}: ${factors.join(', ')}`})`;
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
 * // or everywhere: { provide: APP_GUARD, useClass: RequireMfaBound() }
 * ```
 */
export function RequireMfaBound(policy?: MfaPolicyInput): Type<MfaGuard> {
  if (policy === undefined) return MfaGuard;
  let memoKey: unknown = policy;
  if (typeof policy !== 'function') {
    const required = compileStaticPolicy(policy);
    memoKey = `${required.mode}:${required.mask}`;
  }
  let guard = guards.get(memoKey);
  if (!guard) {
    const compiled: CompiledPolicy = compilePolicy(policy);
    class PolicyMfaGuard extends MfaGuard {
      static readonly mfaPolicy = compiled;
      protected override readonly fixedPolicy = compiled;
    }
    guard = mixin(PolicyMfaGuard);
    Object.defineProperty(guard, 'name', { value: guardName(compiled) });
    guards.set(memoKey, guard);
  }
  return guard;
}
