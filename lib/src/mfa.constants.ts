/** Injection token of the guard's settings ({@link MfaGuardSettings}), for guard subclasses' constructors. */
export const MFA_GUARD_SETTINGS = Symbol('MFA_GUARD_SETTINGS');
/** Injection token of all validated settings (internal). */
export const MFA_SETTINGS = Symbol('MFA_SETTINGS');
/** Injection token of the client's settings, credentials included (internal). */
export const MFA_CLIENT_SETTINGS = Symbol('MFA_CLIENT_SETTINGS');
/** Injection token of the service's settings (internal). */
export const MFA_SERVICE_SETTINGS = Symbol('MFA_SERVICE_SETTINGS');
/** Injection token of the telemetry's settings (internal). */
export const MFA_TELEMETRY_SETTINGS = Symbol('MFA_TELEMETRY_SETTINGS');
/** Injection token of the binding resolver's settings (internal). */
export const MFA_LOOKUP_SETTINGS = Symbol('MFA_LOOKUP_SETTINGS');

/** Metadata key of `@MfaPolicy()`. */
export const MFA_POLICY_METADATA = 'genauth-mfa:policy';
/** Metadata key of `@SkipMfa()`. */
export const MFA_SKIP_METADATA = 'genauth-mfa:skip';
/** Metadata key of `@MfaFailOpen()`. */
export const MFA_FAIL_OPEN_METADATA = 'genauth-mfa:fail-open';

/** The library's version (the meter's version too). */
export const LIBRARY_VERSION = '0.1.0';
/** Product string sent as the SDK version header. */
export const SDK_VERSION = `nestjs-genauth-mfa:${LIBRARY_VERSION}`;
/** Metadata key of `@MfaReportOnly()`. */
export const MFA_REPORT_ONLY_METADATA = 'genauth-mfa:report-only';
/** Metadata key of `@MfaEnforceFrom()`. */
export const MFA_ENFORCE_FROM_METADATA = 'genauth-mfa:enforce-from';
