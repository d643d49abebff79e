import type { MfaDenial } from '../contracts/denial.js';
import { factorsOfMask } from '../contracts/mfa-factor.js';
import type { RequiredFactors } from '../contracts/policy.js';
import type { MfaFactorTimes } from '../contracts/verification.js';

/** A verification dated this far in the future still counts (clocks of replicas and identity providers drift). */
const CLOCK_SKEW_MS = 60_000;

/**
 * The "verified within" requirement (step-up): one of the factors (`anyOf`), or each (`allOf`), was
 * verified no longer than the window ago. Returns undefined when met, else the `MFA_STEP_UP_REQUIRED`
 * denial, with the factors the user can verify to meet it (bound, and for `allOf` not verified recently).
 * Only called for a requirement with a window.
 */
export function recencyStep(
  required: RequiredFactors,
  times: MfaFactorTimes,
  now: number,
  boundMask: number,
  stepUpUrl: () => string | undefined,
): MfaDenial | undefined {
  const maxAgeMs = required.maxAgeMs!;
  const recent = (at: number | undefined) => at !== undefined && at >= now - maxAgeMs && at <= now + CLOCK_SKEW_MS;
  const met =
    required.mode === 'anyOf'
      ? required.factors.some((f) => recent(times[f]))
      : required.factors.every((f) => recent(times[f]));
  if (met) return undefined;
  const bound = factorsOfMask(boundMask);
  const verifyWith = required.factors.filter(
    (f) => bound.includes(f) && (required.mode === 'anyOf' || !recent(times[f])),
  );
  return {
    code: 'MFA_STEP_UP_REQUIRED',
    status: 401,
    required: { mode: required.mode, factors: required.factors, maxAgeSeconds: required.maxAgeSeconds },
    maxAgeSeconds: required.maxAgeSeconds!,
    verifyWith,
    acrValues: required.acrValues,
    stepUpUrl: stepUpUrl(),
  };
}
