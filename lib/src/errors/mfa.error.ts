/**
 * Base class of every error this library raises (the HTTP exceptions of the guard aside, which are
 * Nest's `HttpException`s). `name` is the subclass's name; messages never hold a secret.
 */
export class MfaError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Whether `error` was raised by this library. */
export function isMfaError(error: unknown): error is MfaError {
  return error instanceof MfaError;
}
