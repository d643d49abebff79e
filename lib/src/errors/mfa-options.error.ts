import { MfaError } from './mfa.error.js';

/** Raised at start-up for a bad option; the message names the option and never holds the secret. */
export class MfaOptionsError extends MfaError {
  constructor(
    /** The option at fault, e.g. `host` or `cache.ttlMs`. */
    readonly option: string,
    detail: string,
  ) {
    super(`MfaModule: invalid option ${option}: ${detail}`);
  }
}
