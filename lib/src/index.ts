// Module and options
export { MfaModule } from './mfa.module.js';
export { ConfigurableMfaModule, MFA_ASYNC_OPTIONS_TYPE, MFA_OPTIONS_TYPE } from './mfa.module-definition.js';
export {
  AUTHING_HOST,
  GENAUTH_HOST,
  type MfaCacheOptions,
  type MfaCircuitBreakerOptions,
  type MfaHttpOptions,
  type MfaModuleOptions,
} from './mfa-module-options.interface.js';
export type { MfaGuardSettings } from './mfa-options.validation.js';
export { MFA_GUARD_SETTINGS } from './mfa.constants.js';

// The Management API
export { MfaManagementService } from './mfa-management.service.js';
export type {
  ApplicationMfa,
  GetMfaTriggerDataArgs,
  MfaTriggerData,
  MfaUserRef,
  SetMfaStatusResult,
  SetUsersMfaStatusArgs,
  UserMfaInfo,
} from './mfa-management.types.js';
export { MFA_FACTORS, type MfaFactor, type MfaFactorName } from './mfa-factor.js';
export { USER_ID_TYPES, type UserIdType } from './dto/user-id-type.js';
export { ApplicationMfaDto, MfaTriggerDataDto } from './dto/mfa-trigger-data.dto.js';
export { GetMfaTriggerDataDto, MfaUserRefDto, SetUsersMfaStatusDto } from './dto/mfa-request.dto.js';

// The guard
export { MfaGuard, RequireMfaBound } from './guard/require-mfa-bound.guard.js';
export { MfaFailOpen, MfaPolicy, SkipMfa } from './guard/mfa.decorators.js';
export { MfaEnforceFrom, MfaReportOnly } from './guard/mfa-rollout.js';
export { MFA_RETURN_PARAM, safeReturnTo } from './guard/mfa-enrollment-redirect.js';
export type { CompiledPolicy, MfaPolicyInput, MfaStaticPolicy, RequiredFactors } from './guard/mfa-policy.js';
export { defaultDenialBody, type MfaDenial } from './guard/mfa-denial.js';
export { defaultMfaUser } from './guard/mfa-user.js';
export { MfaBindingResolver } from './guard/mfa-binding.resolver.js';
export type { CircuitState } from './guard/circuit-breaker.js';

// Observability
export {
  MFA_DECISION_EVENT,
  type MfaDecisionEvent,
  type MfaDecisionOutcome,
} from './observability/mfa-decision.event.js';
export { MFA_METRICS } from './observability/mfa-metrics.js';
export { MFA_BINDING_CACHE, type MfaBindingCache } from './cache/mfa-binding-cache.interface.js';
export { InMemoryMfaBindingCache } from './cache/in-memory-mfa-binding.cache.js';
export { RedisMfaBindingCache, type RedisMfaBindingCacheOptions } from './cache/redis/redis-mfa-binding.cache.js';
export type { RedisClientLike } from './cache/redis/redis-connection.js';

// Errors: every one extends MfaError (the HTTP exceptions extend Nest's HttpException, the GraphQL denial
// its IntrinsicException)
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
  MfaUnavailableException,
  MfaUserUnresolvedException,
} from './errors/mfa.exceptions.js';
export { MfaGraphQLDenialError } from './errors/mfa-graphql-denial.error.js';
