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
      /**
       * Step-up: the user has the factor(s) bound, but has not verified one within the route's window
       * (RFC 9470's `insufficient_user_authentication`).
       */
      readonly code: 'MFA_STEP_UP_REQUIRED';
      readonly status: 401;
      /** What would satisfy the route, with its window (`maxAgeSeconds`). */
      readonly required: MfaRequirement;
      readonly maxAgeSeconds: number;
      /** The required factors this user has bound and can verify now to pass (`allOf`: those still due). */
      readonly verifyWith: readonly MfaFactor[];
      /** `acr_values` the route names, for the challenge. */
      readonly acrValues: readonly string[] | undefined;
      /** Where a browser verifies (the `stepUpUrl` option). */
      readonly stepUpUrl: string | undefined;
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
    case 'MFA_STEP_UP_REQUIRED':
      return {
        statusCode: 401,
        code: denial.code,
        message: stepUpDescription(denial),
        required: { [denial.required.mode]: denial.required.factors },
        maxAgeSeconds: denial.maxAgeSeconds,
        verifyWith: denial.verifyWith,
        ...(denial.stepUpUrl ? { stepUpUrl: denial.stepUpUrl } : {}),
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

/** A step-up challenge's denial. */
export type MfaStepUpDenial = Extract<MfaDenial, { code: 'MFA_STEP_UP_REQUIRED' }>;

/** What a step-up challenge asks for, in words. */
function stepUpDescription(denial: MfaStepUpDenial): string {
  const { mode, factors } = denial.required;
  const which = factors.length === 1 ? factors[0] : `${mode === 'allOf' ? 'each of' : 'one of'} ${factors.join(', ')}`;
  return `Verify ${which} again: this route needs a verification within the last ${denial.maxAgeSeconds} seconds.`;
}

/**
 * The `WWW-Authenticate` value of a step-up challenge (RFC 9470 §3): the Bearer scheme with
 * `error="insufficient_user_authentication"`, a description, `max_age`, `acr_values` when the route names
 * them, and `mfa_factors`: the factors this user can verify to pass (an extension parameter, space-separated
 * like `acr_values`). Every parameter is a quoted string or a token, as RFC 9110's auth-param grammar allows.
 */
export function stepUpChallenge(denial: MfaStepUpDenial): string {
  const quoted = (text: string) => `"${text.replace(/["\\]/g, '\\$&')}"`;
  const parts = [
    'error="insufficient_user_authentication"',
    `error_description=${quoted(stepUpDescription(denial))}`,
    `max_age=${denial.maxAgeSeconds}`,
  ];
  if (denial.acrValues?.length) parts.push(`acr_values=${quoted(denial.acrValues.join(' '))}`);
  if (denial.verifyWith.length) parts.push(`mfa_factors=${quoted(denial.verifyWith.join(' '))}`);
  return `Bearer ${parts.join(', ')}`;
}
