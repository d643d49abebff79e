import { SetMetadata } from '@nestjs/common';
import { MFA_FAIL_OPEN_METADATA, MFA_POLICY_METADATA, MFA_SKIP_METADATA } from '../mfa.constants.js';
import { compilePolicy, type MfaPolicyInput } from './mfa-policy.js';

/**
 * Declares the MFA policy of a controller or a route; a route's policy overrides its controller's.
 * The policy is checked here, at decoration time: an unknown factor throws at start-up.
 * @example
 * ```ts
 * @MfaPolicy({ allOf: ['SMS', 'TOTP'] })
 * @Post('transfer')
 * transfer() {}
 * ```
 */
export const MfaPolicy = (policy: MfaPolicyInput): ClassDecorator & MethodDecorator =>
  SetMetadata(MFA_POLICY_METADATA, compilePolicy(policy));

/** Exempts a route (or a whole controller) from the MFA guard. */
export const SkipMfa = (skip = true): ClassDecorator & MethodDecorator => SetMetadata(MFA_SKIP_METADATA, skip);

/**
 * Lets requests to a route through when GenAuth cannot answer (the guard logs a warning each time).
 * Without it, the module's `failOpen` option decides (fail closed by default).
 */
export const MfaFailOpen = (failOpen = true): ClassDecorator & MethodDecorator =>
  SetMetadata(MFA_FAIL_OPEN_METADATA, failOpen);
