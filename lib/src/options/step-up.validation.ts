import { keepsAttempts } from '../contracts/attempts.js';
import type { MfaBindingCache } from '../contracts/binding-store.js';
import { parseFactor, type MfaFactor } from '../contracts/mfa-factor.js';
import type { MfaStepUpModuleOptions, MfaStepUpSettings, MfaVerificationStore } from '../contracts/verification.js';
import { MfaOptionsError } from '../errors/mfa-options.error.js';
import { boolean, fn, integer } from './option-checks.js';

/** RFC 8176's values for the factors the library knows; `mfa` (multiple factors) proves any of them. */
const RFC8176_AMR: Readonly<Record<string, readonly MfaFactor[]>> = {
  otp: ['TOTP'],
  sms: ['SMS'],
  face: ['FACE'],
  mfa: ['EMAIL', 'SMS', 'TOTP', 'FACE'],
};

function factorMap(value: unknown, option: string): Record<string, readonly MfaFactor[]> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new MfaOptionsError(option, "it must map values to lists of factors, e.g. { email: ['EMAIL'] }");
  }
  const map: Record<string, readonly MfaFactor[]> = {};
  for (const [key, factors] of Object.entries(value as Record<string, unknown>)) {
    const parsed = Array.isArray(factors) ? factors.map(parseFactor) : [undefined];
    if (parsed.length === 0 || parsed.some((f) => f === undefined)) {
      throw new MfaOptionsError(`${option}.${key}`, 'it must be a non-empty list of EMAIL, SMS, TOTP (or OTP), FACE');
    }
    map[key] = parsed as MfaFactor[];
  }
  return map;
}

/** A list of factor names (possibly empty), or the default. */
function factorList(value: unknown, option: string, fallback: readonly MfaFactor[]): readonly MfaFactor[] {
  if (value === undefined) return fallback;
  const parsed = Array.isArray(value) ? value.map(parseFactor) : [undefined];
  if (parsed.some((f) => f === undefined)) {
    throw new MfaOptionsError(option, 'it must be a list of EMAIL, SMS, TOTP (or OTP), FACE (or empty)');
  }
  return Object.freeze([...new Set(parsed as MfaFactor[])]);
}

/** Whether a store keeps verifications too (`recordVerification` and `verifications`). */
function keepsVerifications(store: unknown): store is MfaVerificationStore {
  const candidate = store as Partial<Record<string, unknown>> | null | undefined;
  return typeof candidate?.['recordVerification'] === 'function' && typeof candidate['verifications'] === 'function';
}

/**
 * Validates `stepUp`; the record's store is `stepUp.store`, else `cache.store` when it keeps verifications;
 * the attempts' store is the first of `stepUp.attempts`, `stepUp.store`, `cache.store` that keeps attempts.
 */
export function stepUpSettings(value: unknown, cacheStore: MfaBindingCache | undefined): MfaStepUpSettings {
  if (value !== undefined && (value === null || typeof value !== 'object')) {
    throw new MfaOptionsError('stepUp', 'it must be an object');
  }
  const options = (value ?? {}) as MfaStepUpModuleOptions;
  if (options.store !== undefined && !keepsVerifications(options.store)) {
    throw new MfaOptionsError(
      'stepUp.store',
      'it must implement MfaVerificationStore (recordVerification, verifications)',
    );
  }
  if (options.attempts !== undefined && !keepsAttempts(options.attempts)) {
    throw new MfaOptionsError('stepUp.attempts', 'it must implement MfaAttemptStore (takeOnce, count, peek)');
  }
  const shared = [options.attempts, options.store, cacheStore].find(keepsAttempts);
  return {
    sessionKey: fn(options.sessionKey, 'stepUp.sessionKey'),
    claims: fn(options.claims, 'stepUp.claims'),
    amr: { ...RFC8176_AMR, ...factorMap(options.amr, 'stepUp.amr') },
    passkeyProves: factorList(options.passkeyProves, 'stepUp.passkeyProves', ['TOTP']),
    acr: factorMap(options.acr, 'stepUp.acr'),
    store: options.store ?? (keepsVerifications(cacheStore) ? cacheStore : undefined),
    maxEntries: integer(options.maxEntries, 'stepUp.maxEntries', 100_000, 1, 10_000_000),
    userVerifications: boolean(options.userVerifications, 'stepUp.userVerifications', false),
    attempts: shared,
  };
}
