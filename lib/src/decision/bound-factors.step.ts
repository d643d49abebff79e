import type { MfaDenial } from '../contracts/denial.js';
import { factorsOfMask } from '../contracts/mfa-factor.js';
import type { RequiredFactors } from '../contracts/policy.js';

/** The "bound" requirement: the user has bound the factor(s) the route requires (any of them, or all). */
export function boundFactorsMet(required: RequiredFactors, boundMask: number): boolean {
  return required.mode === 'anyOf' ? (boundMask & required.mask) !== 0 : (boundMask & required.mask) === required.mask;
}

/** The `MFA_NOT_BOUND` denial of a user whose bound factors do not meet the route's. */
export function notBoundDenial(
  required: RequiredFactors,
  boundMask: number,
  enrollmentUrl: string | undefined,
): MfaDenial {
  return {
    code: 'MFA_NOT_BOUND',
    status: 403,
    required: { mode: required.mode, factors: required.factors },
    boundFactors: factorsOfMask(boundMask),
    missingFactors: factorsOfMask(required.mask & ~boundMask),
    enrollmentUrl,
  };
}
