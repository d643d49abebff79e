import { MfaError } from './mfa.error.js';

/** Raised when a policy names an unknown factor or is malformed (at decoration time or start-up). */
export class MfaPolicyError extends MfaError {
  constructor(detail: string) {
    super(`Invalid MFA policy: ${detail}`);
  }
}
