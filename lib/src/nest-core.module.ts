import { Module, type DynamicModule } from '@nestjs/common';
import type { DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import type { NestCoreServices } from './contracts/nest-core.js';
import { MFA_NEST_CORE } from './contracts/tokens.js';

/** Carries `@nestjs/core`'s services into `MfaModule` (see {@link nestCoreModule}). @internal */
@Module({})
export class MfaNestCoreModule {}

/**
 * The module that provides {@link NestCoreServices}, built when the app configures `MfaModule` rather than
 * when the library is imported: importing the library then costs no more than `@nestjs/common`, and by the
 * time Nest scans the module the app has loaded `@nestjs/core` (a cache hit). Nest awaits a promised module
 * in `imports`. A dynamic `import()` and not `require`: Nest 12 is ESM, and `import.meta` would keep
 * CommonJS test runners (ts-jest) from loading the library.
 * @internal
 */
export function nestCoreModule(): Promise<DynamicModule> {
  return import('@nestjs/core').then((core) => ({
    module: MfaNestCoreModule,
    imports: [core.DiscoveryModule],
    providers: [
      {
        provide: MFA_NEST_CORE,
        useFactory: (
          moduleRef: ModuleRef,
          discovery: DiscoveryService,
          scanner: MetadataScanner,
        ): NestCoreServices => ({
          moduleRef,
          discovery,
          scanner,
        }),
        inject: [core.ModuleRef, core.DiscoveryService, core.MetadataScanner],
      },
    ],
    exports: [MFA_NEST_CORE],
  }));
}
