/** Injection token of the guard's settings ({@link MfaGuardSettings}), for guard subclasses' constructors. */
export const MFA_GUARD_SETTINGS = Symbol('MFA_GUARD_SETTINGS');
/** Injection token of the guard's {@link MetadataReader}, for guard subclasses' constructors. */
export const MFA_METADATA_READER = Symbol('MFA_METADATA_READER');
/** Injection token of `@nestjs/core`'s services ({@link NestCoreServices}). @internal */
export const MFA_NEST_CORE = Symbol('MFA_NEST_CORE');
/** Injection token of all validated settings. @internal */
export const MFA_SETTINGS = Symbol('MFA_SETTINGS');
/** Injection token of the client's settings, credentials included. @internal */
export const MFA_CLIENT_SETTINGS = Symbol('MFA_CLIENT_SETTINGS');
/** Injection token of the service's settings. @internal */
export const MFA_SERVICE_SETTINGS = Symbol('MFA_SERVICE_SETTINGS');
/** Injection token of the telemetry's settings. @internal */
export const MFA_TELEMETRY_SETTINGS = Symbol('MFA_TELEMETRY_SETTINGS');
/** Injection token of the step-up settings. @internal */
export const MFA_STEP_UP_SETTINGS = Symbol('MFA_STEP_UP_SETTINGS');
/** Injection token of the binding resolver's settings. @internal */
export const MFA_LOOKUP_SETTINGS = Symbol('MFA_LOOKUP_SETTINGS');

/** The metadata keys of the library's decorators. */
export const MFA_METADATA = Object.freeze({
  /** `@MfaPolicy()`: a compiled policy. */
  policy: 'genauth-mfa:policy',
  /** `@SkipMfa()`. */
  skip: 'genauth-mfa:skip',
  /** `@MfaFailOpen()`. */
  failOpen: 'genauth-mfa:fail-open',
  /** `@MfaReportOnly()`. */
  reportOnly: 'genauth-mfa:report-only',
  /** `@MfaEnforceFrom()`: ms since the epoch. */
  enforceFrom: 'genauth-mfa:enforce-from',
});
