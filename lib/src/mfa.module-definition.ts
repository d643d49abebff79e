import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { MfaModuleOptions } from './options/mfa-module-options.js';

export const {
  ConfigurableModuleClass: ConfigurableMfaModule,
  MODULE_OPTIONS_TOKEN: MFA_MODULE_OPTIONS,
  OPTIONS_TYPE: MFA_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: MFA_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<MfaModuleOptions>()
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createMfaOptions')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
