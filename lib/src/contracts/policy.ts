import type { ExecutionContext } from '@nestjs/common';
import type { MfaFactor, MfaFactorName } from './mfa-factor.js';

/**
 * What a route asks beyond "bound": that a factor was verified recently (step-up).
 */
export interface MfaStepUpOptions {
  /**
   * The factor(s) must have been verified within this window: `'30s'`, `'10m'`, `'1h'`, or ms. With
   * `anyOf` one of them suffices, with `allOf` each is needed. A request without such a verification gets
   * a step-up challenge (401 `MFA_STEP_UP_REQUIRED`, RFC 9470).
   */
  readonly verifiedWithin?: string | number;
  /** `acr_values` to name in the challenge's `WWW-Authenticate` (RFC 9470), for identity providers that honour them. */
  readonly acrValues?: readonly string[];
}

/** A fixed policy: one factor, a list (any of them), `{ anyOf }` or `{ allOf }`, with step-up options. */
export type MfaStaticPolicy =
  | MfaFactorName
  | readonly MfaFactorName[]
  | ({ readonly anyOf: readonly MfaFactorName[] } & MfaStepUpOptions)
  | ({ readonly allOf: readonly MfaFactorName[] } & MfaStepUpOptions);

/** A policy, or a function of the execution context that returns one (or a promise of one) per request. */
export type MfaPolicyInput =
  MfaStaticPolicy | ((context: ExecutionContext) => MfaStaticPolicy | Promise<MfaStaticPolicy>);

/** What a route requires, as denials and events report it: a mode and factor names. */
export interface MfaRequirement {
  /** `anyOf`: one of `factors` suffices; `allOf`: every one is needed. */
  readonly mode: 'anyOf' | 'allOf';
  /** The factors, in the library's order (EMAIL, SMS, TOTP, FACE). */
  readonly factors: readonly MfaFactor[];
  /** Step-up: the factor(s) must have been verified within this many seconds. */
  readonly maxAgeSeconds?: number;
}

/** A requirement in the form the engine checks: with the bit mask of its factors. @internal */
export interface RequiredFactors extends MfaRequirement {
  readonly mask: number;
  /** Step-up: the window, in ms. */
  readonly maxAgeMs?: number;
  readonly acrValues?: readonly string[];
}

/** A compiled policy: fixed, or computed per request. @internal */
export type CompiledPolicy =
  | { readonly kind: 'static'; readonly required: RequiredFactors }
  | {
      readonly kind: 'dynamic';
      readonly resolve: (context: ExecutionContext) => RequiredFactors | Promise<RequiredFactors>;
    };
