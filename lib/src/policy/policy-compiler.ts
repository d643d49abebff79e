import { FACTOR_BIT, factorsOfMask, parseFactor } from '../contracts/mfa-factor.js';
import type { CompiledPolicy, MfaPolicyInput, MfaStaticPolicy, RequiredFactors } from '../contracts/policy.js';
import { isThenable } from '../util/thenable.js';
import { MfaPolicyError } from '../errors/mfa-policy.error.js';

function maskOf(names: readonly unknown[], where: string): number {
  if (!Array.isArray(names) || names.length === 0) {
    throw new MfaPolicyError(`${where} needs at least one factor (EMAIL, SMS, TOTP, FACE)`);
  }
  let mask = 0;
  for (const name of names) {
    const factor = parseFactor(name);
    if (!factor) {
      throw new MfaPolicyError(
        `unknown factor ${JSON.stringify(name)} in ${where}; use EMAIL, SMS, TOTP (or OTP), FACE`,
      );
    }
    mask |= FACTOR_BIT[factor];
  }
  return mask;
}

const compiledStatic = new Map<string, RequiredFactors>();

function required(mode: 'anyOf' | 'allOf', mask: number): RequiredFactors {
  // A single factor is both anyOf and allOf; one shared object per (mode, mask) keeps denials cheap.
  const effectiveMode = factorsOfMask(mask).length === 1 ? 'anyOf' : mode;
  const key = `${effectiveMode}:${mask}`;
  let found = compiledStatic.get(key);
  if (!found) {
    found = Object.freeze({ mode: effectiveMode, factors: factorsOfMask(mask), mask });
    compiledStatic.set(key, found);
  }
  return found;
}

/** Compiles a fixed policy. Throws {@link MfaPolicyError} for an unknown factor or an empty list. */
export function compileStaticPolicy(policy: MfaStaticPolicy): RequiredFactors {
  if (typeof policy === 'string') return required('anyOf', maskOf([policy], 'the policy'));
  if (Array.isArray(policy)) return required('anyOf', maskOf(policy, 'the list'));
  if (policy !== null && typeof policy === 'object') {
    const keys = Object.keys(policy);
    if (keys.length === 1 && keys[0] === 'anyOf')
      return required('anyOf', maskOf((policy as { anyOf: unknown[] }).anyOf, 'anyOf'));
    if (keys.length === 1 && keys[0] === 'allOf')
      return required('allOf', maskOf((policy as { allOf: unknown[] }).allOf, 'allOf'));
  }
  throw new MfaPolicyError(
    `expected a factor, a list of factors, { anyOf: [...] } or { allOf: [...] }, got ${JSON.stringify(policy)}`,
  );
}

/** Compiles a policy; a function is checked on each request, its result compiled then. */
export function compilePolicy(policy: MfaPolicyInput): CompiledPolicy {
  if (typeof policy === 'function') {
    return {
      kind: 'dynamic',
      resolve: (context) => {
        const given = policy(context);
        return isThenable(given) ? Promise.resolve(given).then(compileStaticPolicy) : compileStaticPolicy(given);
      },
    };
  }
  return { kind: 'static', required: compileStaticPolicy(policy) };
}

/** Whether a binding mask meets a requirement. */
export function isSatisfied(required: RequiredFactors, boundMask: number): boolean {
  return required.mode === 'anyOf' ? (boundMask & required.mask) !== 0 : (boundMask & required.mask) === required.mask;
}
