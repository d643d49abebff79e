import type { DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';

/**
 * What the library takes from `@nestjs/core` once the app configures `MfaModule` (see nest-core.module.ts):
 * a module reference (to find the app's event emitter), the discovery service and the metadata scanner (for
 * the route audit). Injected under `MFA_NEST_CORE`.
 * @internal
 */
export interface NestCoreServices {
  readonly moduleRef: Pick<ModuleRef, 'get'>;
  readonly discovery: DiscoveryService;
  readonly scanner: MetadataScanner;
}
