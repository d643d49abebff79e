/** Injection token of the validated, defaulted module options ({@link ResolvedMfaOptions}). */
export const MFA_RESOLVED_OPTIONS = Symbol('MFA_RESOLVED_OPTIONS');

/** Metadata key of `@MfaPolicy()`. */
export const MFA_POLICY_METADATA = 'genauth-mfa:policy';
/** Metadata key of `@SkipMfa()`. */
export const MFA_SKIP_METADATA = 'genauth-mfa:skip';
/** Metadata key of `@MfaFailOpen()`. */
export const MFA_FAIL_OPEN_METADATA = 'genauth-mfa:fail-open';

/** Product string sent as the SDK version header. */
export const SDK_VERSION = 'nestjs-genauth-mfa:0.1.0';
