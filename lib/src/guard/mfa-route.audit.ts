import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { DiscoveryService } from '@nestjs/core';
import type { NestCoreServices } from '../contracts/nest-core.js';
import { MFA_NEST_CORE } from '../contracts/tokens.js';
import { routeConflicts } from '../policy/route-declarations.js';

// Handlers already reported, per application (its DiscoveryService), so that an MfaModule imported in
// several places warns once per route.
const reported = new WeakMap<DiscoveryService, WeakSet<object>>();

/** At start-up, warns once about each route whose MFA declarations do not say the same thing. */
@Injectable()
export class MfaRouteAudit implements OnApplicationBootstrap {
  private readonly logger = new Logger('MfaGuard');

  constructor(@Inject(MFA_NEST_CORE) private readonly core: NestCoreServices) {}

  onApplicationBootstrap(): void {
    const { discovery, scanner } = this.core;
    let seen = reported.get(discovery);
    if (!seen) reported.set(discovery, (seen = new WeakSet()));
    for (const wrapper of discovery.getControllers()) {
      const type = wrapper.metatype as (abstract new (...args: never[]) => unknown) | null | undefined;
      if (!type?.prototype) continue;
      const prototype = type.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || seen.has(handler)) continue;
        seen.add(handler);
        for (const conflict of routeConflicts(type, handler)) this.logger.warn(`${type.name}.${name}: ${conflict}`);
      }
    }
  }
}
