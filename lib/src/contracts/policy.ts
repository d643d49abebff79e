import type { ExecutionContext } from '@nestjs/common';
import type { MfaFactor, MfaFactorName } from './mfa-factor.js';

/** A fixed policy: one factor, a list (any of them), `{ anyOf }` or `{ allOf }`. */
export type MfaStaticPolicy =
  | MfaFactorName
  | readonly MfaFactorName[]
  | { readonly anyOf: readonly MfaFactorName[] }
  | { readonly allOf: readonly MfaFactorName[] };

/** A policy, or a function of the execution context that returns one (or a promise of one) per request. */
export type MfaPolicyInput =
  MfaStaticPolicy | ((context: ExecutionContext) => MfaStaticPolicy | Promise<MfaStaticPolicy>);

/** What a route requires, as denials and events report it: a mode and factor names. */
export interface MfaRequirement {
  /** `anyOf`: one of `factors` suffices; `allOf`: every one is needed. */
  readonly mode: 'anyOf' | 'allOf';
  /** The factors, in the library's order (EMAIL, SMS, TOTP, FACE). */
  readonly factors: readonly MfaFactor[];
}

/** A requirement in the form the engine checks: with the bit mask of its factors. @internal */
export interface RequiredFactors extends MfaRequirement {
  readonly mask: number;
}

/** A compiled policy: fixed, or computed per request. @internal */
export type CompiledPolicy =
  | { readonly kind: 'static'; readonly required: RequiredFactors }
  | {
      readonly kind: 'dynamic';
      readonly resolve: (context: ExecutionContext) => RequiredFactors | Promise<RequiredFactors>;
    };
