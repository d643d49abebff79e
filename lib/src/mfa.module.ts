import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { InMemoryMfaStatusCache } from './cache/in-memory-mfa-status.cache.js';
import { MFA_STATUS_CACHE } from './cache/mfa-status-cache.interface.js';
import { GenAuthHttpClient } from './client/genauth-http.client.js';
import { MfaBindingResolver } from './guard/mfa-binding.resolver.js';
import { MfaManagementService } from './mfa-management.service.js';
import { MFA_RESOLVED_OPTIONS } from './mfa.constants.js';
import { ConfigurableMfaModule, MFA_MODULE_OPTIONS } from './mfa.module-definition.js';
import { resolveMfaOptions, type ResolvedMfaOptions } from './mfa-options.resolver.js';

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
  imports: [
    HttpModule.register({
      maxRedirects: 0,
      httpAgent: new HttpAgent({ keepAlive: true }),
      httpsAgent: new HttpsAgent({ keepAlive: true }),
    }),
  ],
  providers: [
    { provide: MFA_RESOLVED_OPTIONS, useFactory: resolveMfaOptions, inject: [MFA_MODULE_OPTIONS] },
    {
      provide: MFA_STATUS_CACHE,
      useFactory: (options: ResolvedMfaOptions) =>
        options.cacheStore ?? new InMemoryMfaStatusCache(options.cacheMaxEntries),
      inject: [MFA_RESOLVED_OPTIONS],
    },
    GenAuthHttpClient,
    MfaManagementService,
    MfaBindingResolver,
  ],
  exports: [MfaManagementService, MfaBindingResolver, MFA_RESOLVED_OPTIONS, MFA_STATUS_CACHE],
})
export class MfaModule extends ConfigurableMfaModule {}
