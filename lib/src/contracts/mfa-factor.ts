/** An MFA factor the guard can require. `TOTP` travels on the wire as `OTP`. */
export type MfaFactor = 'EMAIL' | 'SMS' | 'TOTP' | 'FACE';

/** A factor as users may write it: `OTP` is accepted for `TOTP`. */
export type MfaFactorName = MfaFactor | 'OTP';

/** Every factor, in the order the library reports them. */
export const MFA_FACTORS: readonly MfaFactor[] = Object.freeze(['EMAIL', 'SMS', 'TOTP', 'FACE']);

/**
 * One bit per factor, so that a binding and a requirement compare in one operation. The library's only
 * copy of this table: masks never leave the library (users get factor names).
 */
export const FACTOR_BIT: Readonly<Record<MfaFactor, number>> = Object.freeze({
  EMAIL: 1,
  SMS: 2,
  TOTP: 4,
  FACE: 8,
});

/** The mask with every factor's bit set. */
const ALL_FACTORS = 15;

const BY_NAME: Readonly<Record<string, MfaFactor>> = Object.freeze({
  EMAIL: 'EMAIL',
  SMS: 'SMS',
  TOTP: 'TOTP',
  OTP: 'TOTP',
  FACE: 'FACE',
});

/** The factor a name stands for (`OTP` → `TOTP`), or undefined for an unknown name. */
export function parseFactor(name: unknown): MfaFactor | undefined {
  return typeof name === 'string' && Object.hasOwn(BY_NAME, name) ? BY_NAME[name] : undefined;
}

/** A policy name as the wire spells it: `TOTP` is `OTP` there; other names pass unchanged. */
export function toWireName(name: string): string {
  return name === 'TOTP' ? 'OTP' : name;
}

/** A policy name as the library spells it: the wire's `OTP` is `TOTP`; other names pass unchanged. */
export function fromWireName(name: string): string {
  return name === 'OTP' ? 'TOTP' : name;
}

/** The factors of a bit mask, as frozen arrays shared by every caller (no allocation per call). */
const FACTORS_OF_MASK: ReadonlyArray<readonly MfaFactor[]> = Array.from({ length: ALL_FACTORS + 1 }, (_, mask) =>
  Object.freeze(MFA_FACTORS.filter((factor) => (mask & FACTOR_BIT[factor]) !== 0)),
);

/** The factors whose bits are set in `mask`. */
export function factorsOfMask(mask: number): readonly MfaFactor[] {
  return FACTORS_OF_MASK[mask & ALL_FACTORS]!;
}

/** The bit mask of a list of factors. */
export function maskOfFactors(factors: Iterable<MfaFactor>): number {
  let mask = 0;
  for (const factor of factors) mask |= FACTOR_BIT[factor];
  return mask;
}

/** Whether `value` is a mask this library could have written: an integer from 0 to 15. */
export function isFactorMask(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= ALL_FACTORS;
}
