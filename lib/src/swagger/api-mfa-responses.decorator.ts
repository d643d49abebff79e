import { Reflector } from '@nestjs/core';
import { ApiResponse, DECORATORS } from '@nestjs/swagger';
import { MFA_METADATA } from '../contracts/tokens.js';
import { MFA_RESPONSES } from './mfa-response.schemas.js';

/** Options of {@link ApiMfaResponses}. */
export interface ApiMfaResponsesOptions {
  /** Also document the 303 to the enrollment page that browser navigations get. Default false. */
  browserRedirect?: boolean;
}

const reflector = new Reflector();
// Nest's metadata key for a route's path: set by @Get(), @Post(), ... on the handler.
const PATH_METADATA = 'path';

/**
 * Documents the MFA guard's answers (401 `MFA_USER_UNRESOLVED`, 403 `MFA_NOT_BOUND`, 503
 * `MFA_UNAVAILABLE` with `Retry-After`, and optionally the browser 303) with their body schemas. On a
 * method, for that operation; on a controller, for each of its routes except those under `@SkipMfa()`.
 * A response the operation already documents for the same status is kept.
 * @example
 * ```ts
 * @ApiMfaResponses()
 * @UseGuards(RequireMfaBound('TOTP'))
 * @Controller('payments')
 * export class PaymentsController {}
 * ```
 */
export function ApiMfaResponses(options: ApiMfaResponsesOptions = {}): ClassDecorator & MethodDecorator {
  const responses = [MFA_RESPONSES.unresolved, MFA_RESPONSES.notBound, MFA_RESPONSES.unavailable];
  if (options.browserRedirect) responses.push(MFA_RESPONSES.redirect);
  const document = (target: object, key: string | symbol, descriptor: PropertyDescriptor) => {
    const handler = descriptor.value as () => unknown;
    for (const response of responses) {
      const existing = reflector.get<Record<string, unknown> | undefined>(DECORATORS.API_RESPONSE, handler);
      if (existing?.[String(response.status)] !== undefined) continue;
      // ApiResponse writes into the options it is given: each operation gets its own copy.
      ApiResponse({ ...response })(target, key, descriptor);
    }
  };
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    if (key !== undefined && descriptor !== undefined) return document(target, key, descriptor);
    const controller = target as { prototype: object };
    const controllerSkip = reflector.get<boolean | undefined>(MFA_METADATA.skip, controller as never);
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const method = Object.getOwnPropertyDescriptor(controller.prototype, name);
      if (name === 'constructor' || typeof method?.value !== 'function') continue;
      const handler = method.value as () => unknown;
      if (reflector.get(PATH_METADATA, handler) === undefined) continue;
      if ((reflector.get<boolean | undefined>(MFA_METADATA.skip, handler) ?? controllerSkip) === true) continue;
      document(controller.prototype, name, method);
    }
  };
}
