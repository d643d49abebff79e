import type { MfaDenial } from '../contracts/denial.js';
import { factorsOfMask } from '../contracts/mfa-factor.js';
import type { RequiredFactors } from '../contracts/policy.js';

/**
 * The "bound" requirement: the user has bound the factor(s) the route requires (any of them, or all).
 * Returns undefined when met, else the `MFA_NOT_BOUND` denial.
 */
export function boundFactorsStep(
  required: RequiredFactors,
  boundMask: number,
  enrollmentUrl: () => string | undefined,
): MfaDenial | undefined {
  const met =
    required.mode === 'anyOf' ? (boundMask & required.mask) !== 0 : (boundMask & required.mask) === required.mask;
  if (met) return undefined;
  return {
    code: 'MFA_NOT_BOUND',
    status: 403,
    required: { mode: required.mode, factors: required.factors },
    boundFactors: factorsOfMask(boundMask),
    missingFactors: factorsOfMask(required.mask & ~boundMask),
    enrollmentUrl: enrollmentUrl(),
  };
}
