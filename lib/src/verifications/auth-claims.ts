import { FACTOR_BIT, MFA_FACTORS, type MfaFactor } from '../contracts/mfa-factor.js';
import type { MfaAuthClaims, MfaFactorTimes } from '../contracts/verification.js';

/** A verified JWT's payload on the request's user, where passport and most guards put it. */
export function claimsOnCarrier(carrier: unknown): MfaAuthClaims | undefined {
  const user = (carrier as { user?: unknown } | null | undefined)?.user;
  return user !== null && typeof user === 'object' ? user : undefined;
}

/**
 * When each factor was verified, as claims say: the factors the `amr` values and the `acr` prove, at
 * `auth_time`. Anything missing or malformed proves nothing (a step-up challenge follows, never a pass):
 * `auth_time` must be a number of seconds no later than a minute from now.
 */
export function timesOfClaims(
  claims: MfaAuthClaims | undefined,
  amr: Readonly<Record<string, readonly MfaFactor[]>>,
  acr: Readonly<Record<string, readonly MfaFactor[]>>,
  now: number,
): MfaFactorTimes {
  const authTime = claims?.auth_time;
  if (typeof authTime !== 'number' || !Number.isFinite(authTime) || authTime * 1000 > now + 60_000) return {};
  let mask = 0;
  if (Array.isArray(claims!.amr)) {
    for (const value of claims!.amr.slice(0, 32)) {
      if (typeof value === 'string' && Object.hasOwn(amr, value)) for (const f of amr[value]!) mask |= FACTOR_BIT[f];
    }
  }
  const acrValue = claims!.acr;
  if (typeof acrValue === 'string' && Object.hasOwn(acr, acrValue))
    for (const f of acr[acrValue]!) mask |= FACTOR_BIT[f];
  const times: MfaFactorTimes = {};
  for (const factor of MFA_FACTORS) if (mask & FACTOR_BIT[factor]) times[factor] = authTime * 1000;
  return times;
}
