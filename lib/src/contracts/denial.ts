import type { MfaFactor } from './mfa-factor.js';
import type { MfaRequirement } from './policy.js';

/** Why the guard refused a request. Each kind has a status and a machine-readable `code`. */
export type MfaDenial =
  | {
      /** No user could be found on the request. */
      readonly code: 'MFA_USER_UNRESOLVED';
      readonly status: 401;
    }
  | {
      /** The user has not bound the factor(s) the route requires. */
      readonly code: 'MFA_NOT_BOUND';
      readonly status: 403;
      readonly required: MfaRequirement;
      readonly boundFactors: readonly MfaFactor[];
      readonly missingFactors: readonly MfaFactor[];
      readonly enrollmentUrl: string | undefined;
    }
  | {
      /** GenAuth could not answer (timeout, network, 5xx, 429, malformed body, open circuit). */
      readonly code: 'MFA_UNAVAILABLE';
      readonly status: 503;
      readonly retryAfterSeconds: number;
    };

/** The machine-readable code of a denial. */
export type MfaDenialCode = MfaDenial['code'];

/** The default JSON body of a denial. */
export function defaultDenialBody(denial: MfaDenial): object {
  switch (denial.code) {
    case 'MFA_USER_UNRESOLVED':
      return { statusCode: 401, code: denial.code, message: 'No authenticated user to check MFA for.' };
    case 'MFA_NOT_BOUND':
      return {
        statusCode: 403,
        code: denial.code,
        message: `This route requires MFA: ${denial.required.mode === 'allOf' ? 'all' : 'any'} of ${denial.required.factors.join(', ')}.`,
        required: { [denial.required.mode]: denial.required.factors },
        boundFactors: denial.boundFactors,
        missingFactors: denial.missingFactors,
        ...(denial.enrollmentUrl ? { enrollmentUrl: denial.enrollmentUrl } : {}),
      };
    case 'MFA_UNAVAILABLE':
      return {
        statusCode: 503,
        code: denial.code,
        message: 'The MFA status could not be checked; try again later.',
        retryAfterSeconds: denial.retryAfterSeconds,
      };
  }
}
