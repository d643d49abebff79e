import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** The first failure of a class-validator run: the dotted path of the field and what is wrong. */
export interface DtoFailure {
  readonly field: string;
  readonly detail: string;
}

// What class-validator answers for a DTO class, the way the library's written-out checks answer: the tests
// hold the two to the same answers.

function firstFailure(errors: readonly ValidationError[], prefix: string): DtoFailure | undefined {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      const detail = Object.values(error.constraints)[0] ?? 'is invalid';
      return { field, detail };
    }
    const nested = firstFailure(error.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/** Turns a plain value into a validated DTO instance, or returns the first failure; extra fields are kept. */
export function toValidDto<T extends object>(
  type: ClassConstructor<T>,
  plain: unknown,
): { ok: true; value: T } | { ok: false; failure: DtoFailure } {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    return { ok: false, failure: { field: '(root)', detail: 'must be an object' } };
  }
  const value = plainToInstance(type, plain);
  const failure = firstFailure(validateSync(value, { forbidUnknownValues: true }), '');
  return failure ? { ok: false, failure } : { ok: true, value };
}
