import { ConfigurableModuleBuilder, Module } from '@nestjs/common';
import { GenAuthAuthGuard } from './genauth-auth.guard.js';
import { genAuthAuthSettings, type GenAuthAuthOptions, type GenAuthAuthSettings } from './genauth-auth.options.js';
import { GENAUTH_AUTH_SETTINGS } from './genauth-auth.tokens.js';
import { GenAuthTokenVerifier } from './token-verifier.js';

/** The base `GenAuthAuthModule` extends (`forRoot`, `forRootAsync`), exported so its type can be named. */
export const { ConfigurableModuleClass: ConfigurableGenAuthAuthModule, MODULE_OPTIONS_TOKEN } =
  new ConfigurableModuleBuilder<GenAuthAuthOptions>()
    .setClassMethodName('forRoot')
    .setFactoryMethodName('createGenAuthAuthOptions')
    .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();

/**
 * Authentication by GenAuth's user tokens: provides `GenAuthAuthGuard` and `GenAuthTokenVerifier`, one key
 * cache for the app. Needs nothing of `MfaModule`; give it `isGlobal: true` to use the guard everywhere.
 * @example
 * ```ts
 * GenAuthAuthModule.forRoot({ isGlobal: true, appHost: 'https://my-app.genauth.ai', audience: 'my-app-id' })
 * ```
 */
@Module({
  providers: [
    { provide: GENAUTH_AUTH_SETTINGS, inject: [MODULE_OPTIONS_TOKEN], useFactory: genAuthAuthSettings },
    {
      provide: GenAuthTokenVerifier,
      inject: [GENAUTH_AUTH_SETTINGS],
      useFactory: (settings: GenAuthAuthSettings) => new GenAuthTokenVerifier(settings),
    },
    GenAuthAuthGuard,
  ],
  exports: [GENAUTH_AUTH_SETTINGS, GenAuthTokenVerifier, GenAuthAuthGuard],
})
export class GenAuthAuthModule extends ConfigurableGenAuthAuthModule {}
