import { Module, type DynamicModule } from '@nestjs/common';
import { MfaAuditService } from './audit/mfa-audit.service.js';
import { MfaBindingResolver } from './bindings/mfa-binding.resolver.js';
import { GenAuthHttpClient } from './client/genauth-http.client.js';
import { MFA_BINDING_CACHE } from './contracts/binding-store.js';
import type { MfaSettings } from './contracts/settings.js';
import type { MfaStepUpSettings } from './contracts/verification.js';
import {
  MFA_CLIENT_SETTINGS,
  MFA_GUARD_SETTINGS,
  MFA_LOOKUP_SETTINGS,
  MFA_METADATA_READER,
  MFA_SERVICE_SETTINGS,
  MFA_SETTINGS,
  MFA_STEP_UP_SETTINGS,
  MFA_TELEMETRY_SETTINGS,
} from './contracts/tokens.js';
import { MfaDecisionEngine } from './decision/mfa-decision-engine.js';
import { CodeAttempts } from './factors/code-attempts.js';
import { MfaFactorService } from './factors/mfa-factor.service.js';
import { MfaPasskeyService } from './factors/mfa-passkey.service.js';
import { MfaRouteAudit } from './guard/mfa-route.audit.js';
import { MfaManagementService } from './management/mfa-management.service.js';
import { MfaStartupCheck } from './management/startup-check.js';
import { nestCoreModule } from './nest-core.module.js';
import { ConfigurableMfaModule, MFA_MODULE_OPTIONS } from './mfa.module-definition.js';
import { MfaTelemetry } from './observability/mfa-telemetry.js';
import type { MfaModuleAsyncOptions, MfaModuleOptions } from './options/mfa-module-options.js';
import { validateMfaOptions } from './options/mfa-options.validation.js';
import { decoratorMetadata } from './policy/metadata-reader.js';
import { MfaVerifications } from './verifications/mfa-verifications.js';

/** One view of the settings per consumer: the guard, the engine and the resolver never see the credentials. */
const view = (token: symbol, pick: (settings: MfaSettings) => unknown) => ({
  provide: token,
  useFactory: pick,
  inject: [MFA_SETTINGS],
});

/** Adds `@nestjs/core`'s services, which exist once the app configures the module. */
function withNestCore(module: DynamicModule): DynamicModule {
  return { ...module, imports: [...(module.imports ?? []), nestCoreModule()] };
}

/**
 * Configures the GenAuth client, {@link MfaManagementService} and what the MFA guard needs.
 * @example
 * ```ts
 * MfaModule.forRoot({ accessKeyId: '...', accessKeySecret: '...', isGlobal: true })
 * MfaModule.forRootAsync({
 *   imports: [ConfigModule],
 *   inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({
 *     accessKeyId: config.getOrThrow('GENAUTH_ACCESS_KEY_ID'),
 *     accessKeySecret: config.getOrThrow('GENAUTH_ACCESS_KEY_SECRET'),
 *   }),
 * })
 * ```
 */
@Module({
  providers: [
    { provide: MFA_SETTINGS, useFactory: validateMfaOptions, inject: [MFA_MODULE_OPTIONS] },
    view(MFA_CLIENT_SETTINGS, (s) => s.client),
    view(MFA_SERVICE_SETTINGS, (s) => s.service),
    view(MFA_GUARD_SETTINGS, (s) => s.guard),
    view(MFA_LOOKUP_SETTINGS, (s) => s.lookup),
    view(MFA_TELEMETRY_SETTINGS, (s) => s.telemetry),
    view(MFA_BINDING_CACHE, (s) => s.lookup.cache.store ?? null),
    view(MFA_STEP_UP_SETTINGS, (s) => s.stepUp),
    { provide: MFA_METADATA_READER, useValue: decoratorMetadata },
    MfaTelemetry,
    GenAuthHttpClient,
    MfaManagementService,
    MfaAuditService,
    MfaBindingResolver,
    MfaVerifications,
    {
      provide: CodeAttempts,
      useFactory: (stepUp: MfaStepUpSettings) => new CodeAttempts(stepUp.attempts, stepUp.maxEntries),
      inject: [MFA_STEP_UP_SETTINGS],
    },
    MfaFactorService,
    MfaPasskeyService,
    MfaDecisionEngine,
    MfaRouteAudit,
    MfaStartupCheck,
  ],
  exports: [
    MfaManagementService,
    MfaAuditService,
    MfaBindingResolver,
    MfaVerifications,
    MfaFactorService,
    MfaPasskeyService,
    MfaDecisionEngine,
    MFA_GUARD_SETTINGS,
    MFA_METADATA_READER,
    MFA_BINDING_CACHE,
  ],
})
export class MfaModule extends ConfigurableMfaModule {
  /** The module with its options given now; `isGlobal: true` makes its providers visible to every module. */
  static override forRoot(options: MfaModuleOptions & { isGlobal?: boolean }): DynamicModule {
    return withNestCore(super.forRoot(options));
  }

  /** The module with its options made by a factory, a class or an existing provider. */
  static override forRootAsync(options: MfaModuleAsyncOptions): DynamicModule {
    return withNestCore(super.forRootAsync(options));
  }
}
