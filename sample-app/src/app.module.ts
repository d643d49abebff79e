import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { MfaModule, type MfaModuleOptions } from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { AccountController } from './account/account.controller.js';
import { AdminController } from './admin/admin.controller.js';
import { AppController } from './app.controller.js';
import { AuthModule } from './auth/auth.module.js';
import { SAMPLE_CONFIG } from './config/config.tokens.js';
import type { SampleConfig } from './config/sample.config.js';
import { ReportsController } from './reports/reports.controller.js';
import { VaultController } from './vault/vault.controller.js';
import { WebController } from './web/web.controller.js';
import { HealthController } from './health/health.controller.js';
import { TerminusModule } from '@nestjs/terminus';
import { MfaHealthIndicator } from 'nestjs-genauth-mfa/terminus';

/** Where the MFA module points: the embedded emulator, or the real GenAuth from the configuration. */
function mfaOptions(config: SampleConfig, emulator: GenAuthEmulator | undefined): MfaModuleOptions {
  // Browser navigations that miss a factor go to the sample's enrollment page; API calls get its path in
  // the 403 body. Responses in a grace period say when enforcement starts.
  const common = { appId: config.appId, enrollmentUrl: '/web/mfa/enroll', enforceFromHeader: 'MFA-Enforce-From' };
  if (emulator) return { ...common, host: emulator.url, ...emulator.credentials[0]! };
  return { ...common, host: config.host, accessKeyId: config.accessKeyId!, accessKeySecret: config.accessKeySecret! };
}

@Module({})
export class AppModule {
  /** The app for a configuration, on an emulator when one is given. */
  static register(config: SampleConfig, emulator?: GenAuthEmulator): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ sample: config })] }),
        MfaModule.forRootAsync({
          isGlobal: true,
          inject: [ConfigService],
          useFactory: (settings: ConfigService) => mfaOptions(settings.getOrThrow<SampleConfig>('sample'), emulator),
        }),
        AuthModule,
        TerminusModule,
      ],
      controllers: [
        AppController,
        AccountController,
        VaultController,
        ReportsController,
        AdminController,
        WebController,
        HealthController,
      ],
      providers: [
        MfaHealthIndicator,
        {
          provide: SAMPLE_CONFIG,
          inject: [ConfigService],
          useFactory: (settings: ConfigService) => settings.getOrThrow<SampleConfig>('sample'),
        },
      ],
      exports: [SAMPLE_CONFIG],
    };
  }
}
