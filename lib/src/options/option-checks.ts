import { MAX_TIMER_MS } from '../contracts/limits.js';
import { MfaOptionsError } from '../errors/mfa-options.error.js';

// The checks every option goes through, shared by the module's options and the Redis store's. Each throws
// MfaOptionsError naming the option; none puts a value that could be a secret in its message.

/** A value as an error message shows it. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

export function requireString(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new MfaOptionsError(option, value === undefined ? 'it is required' : 'it must be a non-empty string');
  }
  return value;
}

/** An optional string; `''` counts as not set (an empty variable in a `.env` file means the default). */
export function optionalString(value: unknown, option: string): string | undefined {
  return value === undefined || value === '' ? undefined : requireString(value, option);
}

/** A delay or a duration in ms: a finite number from `min` to 2^31 − 1 (Node fires a longer timer at once). */
export function durationMs(value: unknown, option: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > MAX_TIMER_MS) {
    throw new MfaOptionsError(option, `it must be a number of ms from ${min} to ${MAX_TIMER_MS} (got ${shown(value)})`);
  }
  return value;
}

/** A count: an integer from `min` to `max`. */
export function integer(value: unknown, option: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new MfaOptionsError(option, `it must be an integer from ${min} to ${max} (got ${shown(value)})`);
  }
  return value;
}

export function oneOf<T extends string>(value: unknown, option: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) {
    throw new MfaOptionsError(option, `it must be one of ${allowed.join(', ')} (got ${shown(value)})`);
  }
  return value as T;
}

export function boolean(value: unknown, option: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new MfaOptionsError(option, 'it must be true or false');
  return value;
}

export function fn<T>(value: T, option: string): T {
  if (value !== undefined && typeof value !== 'function') throw new MfaOptionsError(option, 'it must be a function');
  return value;
}

/** An HTTP header name (RFC 9110 token), or undefined. */
export function headerName(value: unknown, option: string): string | undefined {
  const name = optionalString(value, option);
  if (name !== undefined && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new MfaOptionsError(option, `it must be an HTTP header name (got ${shown(name)})`);
  }
  return name;
}
