import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { GENAUTH_HOST, MfaModule, MfaWebhookModule, mfaSessionKey, type MfaModuleOptions } from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { AccountController } from './account/account.controller.js';
import { AdminController } from './admin/admin.controller.js';
import { AppController } from './app.controller.js';
import { AuthModule } from './auth/auth.module.js';
import { SAMPLE_CONFIG, SAMPLE_EMULATOR, SAMPLE_HOSTS } from './config/config.tokens.js';
import { DemoCodesController } from './demo/demo-codes.controller.js';
import { MfaPagesController } from './web/mfa-pages.controller.js';
import { StepUpPagesController } from './web/step-up-pages.controller.js';
import { PasskeyPagesController } from './web/passkey-pages.controller.js';
import { CoverageController } from './web/coverage.controller.js';
import { SignInController } from './web/sign-in.controller.js';
import type { SampleHosts } from './genauth/genauth-users.js';
import { requestToken } from './auth/jwt-auth.guard.js';
import type { SampleConfig } from './config/sample.config.js';
import { ReportsController } from './reports/reports.controller.js';
import { VaultController } from './vault/vault.controller.js';
import { WebController } from './web/web.controller.js';
import { HealthController } from './health/health.controller.js';
import { TerminusModule } from '@nestjs/terminus';
import { MfaHealthIndicator } from 'nestjs-genauth-mfa/terminus';
import { GenAuthAuthModule } from 'nestjs-genauth-mfa/auth';

/** Where the MFA module points: the embedded emulator, or the real GenAuth from the configuration. */
function mfaOptions(config: SampleConfig, emulator: GenAuthEmulator | undefined): MfaModuleOptions {
  // Browser navigations that miss a factor go to the sample's enrollment page, those that must verify one
  // again to its verify page; API calls get those paths in the body. Responses in a grace period say when
  // enforcement starts. The browser pages keep the user's GenAuth token in a cookie: that is their session.
  const common: Partial<MfaModuleOptions> = {
    appId: config.appId,
    enrollmentUrl: '/web/mfa/enroll',
    stepUpUrl: '/web/mfa/verify',
    enforceFromHeader: 'MFA-Enforce-From',
    stepUp: {
      sessionKey: (context) => {
        const token = requestToken(context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers);
        return token ? mfaSessionKey(token) : undefined;
      },
    },
  };
  if (emulator) return { ...common, host: emulator.url, ...emulator.credentials[0]! };
  const real = { host: config.host, accessKeyId: config.accessKeyId!, accessKeySecret: config.accessKeySecret! };
  return { ...common, ...real, appHost: config.appHost };
}

/** Where the Authentication API answers: the emulator, else the app's host (else the Management host). */
function hosts(config: SampleConfig, emulator: GenAuthEmulator | undefined): SampleHosts {
  return { appHost: emulator?.url ?? config.appHost ?? config.host ?? GENAUTH_HOST };
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
        // The users' GenAuth tokens, verified on GenAuth's keys (the emulator's here, by default).
        GenAuthAuthModule.forRootAsync({
          isGlobal: true,
          inject: [ConfigService],
          useFactory: (settings: ConfigService) => {
            const config = settings.getOrThrow<SampleConfig>('sample');
            return { appHost: hosts(config, emulator).appHost, audience: config.appId };
          },
        }),
        AuthModule,
        TerminusModule,
        // GenAuth's webhooks (and the emulator's): changes made outside the app reach the guard at once.
        ...(config.webhookSecret ? [MfaWebhookModule.forRoot({ secret: config.webhookSecret })] : []),
      ],
      controllers: [
        AppController,
        AccountController,
        VaultController,
        ReportsController,
        AdminController,
        WebController,
        SignInController,
        MfaPagesController,
        StepUpPagesController,
        PasskeyPagesController,
        CoverageController,
        DemoCodesController,
        HealthController,
      ],
      providers: [
        MfaHealthIndicator,
        { provide: SAMPLE_EMULATOR, useValue: emulator ?? null },
        {
          provide: SAMPLE_HOSTS,
          inject: [ConfigService],
          useFactory: (s: ConfigService) => hosts(s.getOrThrow('sample'), emulator),
        },
        {
          provide: SAMPLE_CONFIG,
          inject: [ConfigService],
          useFactory: (settings: ConfigService) => settings.getOrThrow<SampleConfig>('sample'),
        },
      ],
      exports: [SAMPLE_CONFIG, SAMPLE_HOSTS],
    };
  }
}
