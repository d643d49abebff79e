import { MfaError } from './mfa.error.js';

/** An emulator seed that does not match the format; `field` names the first bad field. */
export class EmulatorSeedError extends MfaError {
  constructor(
    readonly field: string,
    detail: string,
  ) {
    super(`invalid emulator seed: ${field} ${detail}`);
  }
}
