import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { InMemoryMfaBindingCache } from './cache/in-memory-mfa-binding.cache.js';
import { MFA_BINDING_CACHE } from './cache/mfa-binding-cache.interface.js';
import { GenAuthHttpClient } from './client/genauth-http.client.js';
import { MfaBindingResolver } from './guard/mfa-binding.resolver.js';
import { MfaRouteAudit } from './guard/mfa-route.audit.js';
import { MfaManagementService } from './mfa-management.service.js';
import {
  MFA_CLIENT_SETTINGS,
  MFA_GUARD_SETTINGS,
  MFA_LOOKUP_SETTINGS,
  MFA_SERVICE_SETTINGS,
  MFA_SETTINGS,
  MFA_TELEMETRY_SETTINGS,
} from './mfa.constants.js';
import { MfaTelemetry } from './observability/mfa-telemetry.js';
import { ConfigurableMfaModule, MFA_MODULE_OPTIONS } from './mfa.module-definition.js';
import { validateMfaOptions, type MfaLookupSettings, type MfaSettings } from './mfa-options.validation.js';

/** One view of the settings per consumer: the guard and the resolver never see the credentials. */
const view = (token: symbol, pick: (settings: MfaSettings) => unknown) => ({
  provide: token,
  useFactory: pick,
  inject: [MFA_SETTINGS],
});

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
  // An axios instance of its own: the global one is shared with (and changed by) other SDKs.
  imports: [HttpModule.register({ maxRedirects: 0 }), DiscoveryModule],
  providers: [
    { provide: MFA_SETTINGS, useFactory: validateMfaOptions, inject: [MFA_MODULE_OPTIONS] },
    view(MFA_CLIENT_SETTINGS, (s) => s.client),
    view(MFA_SERVICE_SETTINGS, (s) => s.service),
    view(MFA_GUARD_SETTINGS, (s) => s.guard),
    view(MFA_LOOKUP_SETTINGS, (s) => s.lookup),
    view(MFA_TELEMETRY_SETTINGS, (s) => s.telemetry),
    MfaTelemetry,
    {
      provide: MFA_BINDING_CACHE,
      useFactory: ({ cache }: MfaLookupSettings) => cache.store ?? new InMemoryMfaBindingCache(cache.maxEntries),
      inject: [MFA_LOOKUP_SETTINGS],
    },
    GenAuthHttpClient,
    MfaManagementService,
    MfaBindingResolver,
    MfaRouteAudit,
  ],
  exports: [MfaManagementService, MfaBindingResolver, MfaTelemetry, MFA_GUARD_SETTINGS, MFA_BINDING_CACHE],
})
export class MfaModule extends ConfigurableMfaModule {}
