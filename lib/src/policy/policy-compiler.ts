import { FACTOR_BIT, factorsOfMask, parseFactor } from '../contracts/mfa-factor.js';
import type {
  CompiledPolicy,
  MfaPolicyInput,
  MfaStaticPolicy,
  MfaStepUpOptions,
  RequiredFactors,
} from '../contracts/policy.js';
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
let longestWindowMs = 0;

/** The longest step-up window of every policy compiled so far, in ms (0 when none asks for one). */
export function longestStepUpWindowMs(): number {
  return longestWindowMs;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A window as a number of ms: `'30s'`, `'10m'`, `'1h'`, `'1d'`, or ms; at least a second, at most 30 days. */
function windowMs(value: unknown): number {
  const match = typeof value === 'string' ? DURATION.exec(value.trim()) : undefined;
  const ms = typeof value === 'number' ? value : match ? Number(match[1]) * UNIT_MS[match[2]!]! : Number.NaN;
  if (!Number.isFinite(ms) || ms < 1000 || ms > 30 * UNIT_MS['d']!) {
    throw new MfaPolicyError(
      `verifiedWithin must be a duration from 1s to 30d ('10m', '1h', or ms), got ${JSON.stringify(value)}`,
    );
  }
  return Math.round(ms);
}

function acrValuesOf(value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((v) => typeof v === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(v))
  ) {
    throw new MfaPolicyError(
      'acrValues must be a non-empty list of acr values (printable, no space, quote or backslash)',
    );
  }
  return Object.freeze([...(value as string[])]);
}

function required(mode: 'anyOf' | 'allOf', mask: number, options: MfaStepUpOptions = {}): RequiredFactors {
  // A single factor is both anyOf and allOf; one shared object per requirement keeps denials cheap.
  const effectiveMode = factorsOfMask(mask).length === 1 ? 'anyOf' : mode;
  const maxAgeMs = options.verifiedWithin === undefined ? undefined : windowMs(options.verifiedWithin);
  const acrValues = acrValuesOf(options.acrValues);
  const key = `${effectiveMode}:${mask}:${maxAgeMs ?? ''}:${acrValues?.join(' ') ?? ''}`;
  let found = compiledStatic.get(key);
  if (!found) {
    found = Object.freeze({
      mode: effectiveMode,
      factors: factorsOfMask(mask),
      mask,
      ...(maxAgeMs === undefined ? {} : { maxAgeMs, maxAgeSeconds: Math.ceil(maxAgeMs / 1000) }),
      ...(acrValues === undefined ? {} : { acrValues }),
    });
    compiledStatic.set(key, found);
    if (maxAgeMs !== undefined) longestWindowMs = Math.max(longestWindowMs, maxAgeMs);
  }
  return found;
}

/** Compiles a fixed policy. Throws {@link MfaPolicyError} for an unknown factor, an empty list or a bad window. */
export function compileStaticPolicy(policy: MfaStaticPolicy, extra: MfaStepUpOptions = {}): RequiredFactors {
  if (typeof policy === 'string') return required('anyOf', maskOf([policy], 'the policy'), extra);
  if (Array.isArray(policy)) return required('anyOf', maskOf(policy, 'the list'), extra);
  if (policy !== null && typeof policy === 'object') {
    const { anyOf, allOf, verifiedWithin, acrValues, ...rest } = policy as unknown as Record<string, unknown>;
    const options = {
      verifiedWithin: verifiedWithin ?? extra.verifiedWithin,
      acrValues: acrValues ?? extra.acrValues,
    } as MfaStepUpOptions;
    if (Object.keys(rest).length === 0 && (anyOf === undefined) !== (allOf === undefined)) {
      if (anyOf !== undefined) return required('anyOf', maskOf(anyOf as unknown[], 'anyOf'), options);
      return required('allOf', maskOf(allOf as unknown[], 'allOf'), options);
    }
  }
  throw new MfaPolicyError(
    `expected a factor, a list of factors, { anyOf: [...] } or { allOf: [...] } (with verifiedWithin, acrValues), got ${JSON.stringify(policy)}`,
  );
}

/** Compiles a policy; a function is checked on each request, its result compiled then. */
export function compilePolicy(policy: MfaPolicyInput, extra: MfaStepUpOptions = {}): CompiledPolicy {
  if (typeof policy === 'function') {
    const compile = (given: MfaStaticPolicy) => compileStaticPolicy(given, extra);
    return {
      kind: 'dynamic',
      resolve: (context) => {
        const given = policy(context);
        return isThenable(given) ? Promise.resolve(given).then(compile) : compile(given);
      },
    };
  }
  return { kind: 'static', required: compileStaticPolicy(policy, extra) };
}

/** Whether a binding mask meets a requirement. */
export function isSatisfied(required: RequiredFactors, boundMask: number): boolean {
  return required.mode === 'anyOf' ? (boundMask & required.mask) !== 0 : (boundMask & required.mask) === required.mask;
}
