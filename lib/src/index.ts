// Module and options
export { MfaModule } from './mfa.module.js';
export { ConfigurableMfaModule } from './mfa.module-definition.js';
export {
  AUTHING_HOST,
  GENAUTH_HOST,
  type MfaCacheOptions,
  type MfaCircuitBreakerOptions,
  type MfaHttpOptions,
  type MfaProxyConfig,
  type MfaModuleAsyncOptions,
  type MfaModuleOptions,
} from './options/mfa-module-options.js';
export type {
  MfaDecisionListener,
  MfaEnrollmentUrl,
  MfaErrorBodyBuilder,
  MfaGuardSettings,
  MfaUserResolver,
} from './contracts/settings.js';
export { MFA_GUARD_SETTINGS, MFA_METADATA_READER } from './contracts/tokens.js';
export type { MetadataReader } from './policy/metadata-reader.js';

// The Management API
export { MfaManagementService } from './management/mfa-management.service.js';
export type {
  ApplicationMfa,
  GetMfaTriggerDataArgs,
  MfaTriggerData,
  SetFactorBoundArgs,
  SetMfaStatusResult,
  SetUsersMfaStatusArgs,
  UserMfaInfo,
} from './management/mfa-management.types.js';
export type { ListUsersArgs, ListedUser, UserPage } from './management/mfa-management.types.js';
export { USER_ID_TYPES, type MfaUserRef, type UserIdType } from './contracts/user-ref.js';
export { MFA_FACTORS, type MfaFactor, type MfaFactorName } from './contracts/mfa-factor.js';
export { GENAUTH_API_CODES } from './contracts/api-codes.js';
// Request bodies for ValidationPipe: nestjs-genauth-mfa/dto (class-validator is loaded by that entry only).

// The coverage audit
export { MfaAuditService } from './audit/mfa-audit.service.js';
export { MfaAuditRun } from './audit/audit-run.js';
export type {
  MfaAuditOptions,
  MfaAuditProgress,
  MfaAuditResumePoint,
  MfaAuditRow,
  MfaAuditStatus,
  MfaAuditSummary,
} from './audit/audit.types.js';
export {
  csvCell,
  MFA_AUDIT_COLUMNS,
  mfaAuditCsvHeader,
  mfaAuditCsvLine,
  mfaAuditJsonLine,
} from './audit/audit-format.js';

// GenAuth's webhooks
export { MfaWebhookModule } from './webhooks/mfa-webhook.module.js';
export { MfaWebhookReceiver } from './webhooks/mfa-webhook.receiver.js';
export type { MfaWebhookCounts } from './webhooks/webhook-inbox.js';
export type {
  MfaWebhookModuleAsyncOptions,
  MfaWebhookModuleOptions,
  MfaWebhookOptions,
} from './webhooks/webhook-options.js';

// The guard
export { MfaGuard } from './guard/mfa.guard.js';
export { RequireMfaBound } from './guard/require-mfa-bound.js';
export { MfaDecisionEngine } from './decision/mfa-decision-engine.js';
export { MfaEnforceFrom, MfaFailOpen, MfaPolicy, MfaReportOnly, SkipMfa } from './policy/mfa.decorators.js';
export type { MfaPolicyInput, MfaRequirement, MfaStaticPolicy, MfaStepUpOptions } from './contracts/policy.js';
export {
  defaultDenialBody,
  stepUpChallenge,
  type MfaDenial,
  type MfaDenialCode,
  type MfaStepUpDenial,
} from './contracts/denial.js';
export { defaultMfaUser } from './transports/registry.js';
export { MFA_RETURN_PARAM, safeReturnTo } from './transports/enrollment-redirect.js';

// The signed-in user's factors (Authentication API)
export { MfaFactorService } from './factors/mfa-factor.service.js';
export { MfaPasskeyService } from './factors/mfa-passkey.service.js';
export type {
  MfaCodeSent,
  MfaEnrolledFactor,
  MfaEnrollment,
  MfaEnrollmentRequest,
  MfaPasskeyCeremony,
  MfaPasskeyKind,
  MfaPasskeyProof,
  MfaSession,
} from './factors/factor.types.js';
export type { MfaAttemptCount, MfaAttemptStore } from './contracts/attempts.js';
export {
  MfaCodeRejectedException,
  MfaEnrollmentExpiredException,
  MfaFactorException,
  MfaFactorRequestRejectedException,
  MfaPasskeyRejectedException,
  MfaResendTooSoonException,
  MfaSessionExpiredException,
  MfaTooManyAttemptsException,
  MfaVerificationRequiredException,
} from './factors/factor.exceptions.js';
export { MfaFactorExceptionFilter } from './factors/factor-exception.filter.js';

// Step-up: verification times
export { MfaVerifications } from './verifications/mfa-verifications.js';
export { mfaSessionKey } from './verifications/session-key.js';
export type {
  MfaAuthClaims,
  MfaFactorTimes,
  MfaStepUpModuleOptions,
  MfaVerificationStore,
} from './contracts/verification.js';

// Bindings and their stores
export { MfaBindingResolver } from './bindings/mfa-binding.resolver.js';
export {
  MFA_BINDING_CACHE,
  type MfaBindingCache,
  type MfaBindingChange,
  type MfaStoreHealth,
} from './contracts/binding-store.js';
export { RedisMfaBindingCache, type RedisMfaBindingCacheOptions } from './stores/redis/redis-mfa-binding.cache.js';
export type { RedisClientLike } from './stores/redis/redis-connection.js';

// Observability
export {
  MFA_DECISION_EVENT,
  type CircuitState,
  type MfaDecisionEvent,
  type MfaDecisionOutcome,
} from './contracts/decision.js';
export { MFA_METRICS } from './observability/mfa-metrics.js';

// Errors: every error the library raises extends MfaError, except the guard's answers, which extend the
// transport's own exception class (Nest's HttpException; IntrinsicException for GraphQL)
export { isMfaError, MfaError } from './errors/mfa.error.js';
export { MfaOptionsError } from './errors/mfa-options.error.js';
export { MfaPolicyError } from './errors/mfa-policy.error.js';
export { MfaUnavailableError, MfaUserRejectedError } from './errors/mfa-lookup.errors.js';
export {
  GenAuthApiError,
  GenAuthError,
  GenAuthInvalidResponseError,
  GenAuthNetworkError,
  GenAuthRateLimitedError,
  GenAuthServerError,
  GenAuthTimeoutError,
  GenAuthValidationError,
  isGenAuthUnavailable,
  type GenAuthCallSite,
} from './errors/genauth.errors.js';
export {
  MfaEnrollmentRedirectException,
  MfaNotBoundException,
  MfaStepUpRequiredException,
  MfaUnavailableException,
  MfaUserUnresolvedException,
} from './errors/mfa.exceptions.js';
export { MfaGraphQLDenialError } from './errors/mfa-graphql-denial.error.js';
