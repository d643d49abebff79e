export { MfaModule } from './mfa.module.js';
export { MFA_ASYNC_OPTIONS_TYPE, MFA_OPTIONS_TYPE } from './mfa.module-definition.js';
export {
  AUTHING_HOST,
  GENAUTH_HOST,
  type MfaCacheOptions,
  type MfaCircuitBreakerOptions,
  type MfaModuleOptions,
  type MfaUserRef,
} from './mfa-module-options.interface.js';
export { MfaOptionsError, type ResolvedMfaOptions } from './mfa-options.resolver.js';
export { MFA_RESOLVED_OPTIONS } from './mfa.constants.js';
export { MfaManagementService, type ChangedUser } from './mfa-management.service.js';
export type {
  ApplicationMfa,
  GetMfaTriggerDataArgs,
  MfaTriggerData,
  SetMfaStatusResult,
  SetUsersMfaStatusArgs,
  UserMfaInfo,
  UserRefArgs,
} from './mfa-management.types.js';
export { MFA_FACTORS, type MfaFactor, type MfaFactorName } from './mfa-factor.js';
export { USER_ID_TYPES, type UserIdType } from './dto/user-id-type.js';
export { ApplicationMfaDto, MfaTriggerDataDto } from './dto/mfa-trigger-data.dto.js';
export { GetMfaTriggerDataDto, SetUsersMfaStatusDto, UserRefDto } from './dto/mfa-request.dto.js';
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
} from './errors/genauth.errors.js';
export { MfaGuard, RequireMfaBound } from './guard/require-mfa-bound.guard.js';
export { MfaFailOpen, MfaPolicy, SkipMfa } from './guard/mfa.decorators.js';
export { MfaPolicyError, type MfaPolicyInput, type MfaStaticPolicy, type RequiredFactors } from './guard/mfa-policy.js';
export { defaultDenialBody, type MfaDenial } from './guard/mfa-denial.js';
export {
  MfaNotBoundException,
  MfaStatusUnavailableException,
  MfaUserUnresolvedException,
} from './guard/mfa.exceptions.js';
export { MfaBindingResolver, MfaStatusUnavailableError } from './guard/mfa-binding.resolver.js';
export { MFA_STATUS_CACHE, type MfaStatusCache } from './cache/mfa-status-cache.interface.js';
export { InMemoryMfaStatusCache } from './cache/in-memory-mfa-status.cache.js';
