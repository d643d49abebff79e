/** The first thing wrong with a value: the dotted path of the field and what is wrong with it. */
export interface CheckFailure {
  readonly field: string;
  readonly detail: string;
}

/** A checked value, or the first failure. */
export type Checked<T> = { ok: true; value: T } | { ok: false; failure: CheckFailure };

/** A failed check of `field`. */
export function fail(field: string, detail: string): { ok: false; failure: CheckFailure } {
  return { ok: false, failure: { field, detail } };
}

/** Whether `value` is a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
