import { RequestMethod } from '@nestjs/common';
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
// Nest's metadata keys of a route (set by @Get(), @Post(), @HttpCode() on the handler), stable since Nest 5.
const PATH_METADATA = 'path';
const METHOD_METADATA = 'method';
const HTTP_CODE_METADATA = '__httpCode__';

/** The status Nest answers a handler's success with: its `@HttpCode`, else 201 for POST and 200 otherwise. */
function successStatus(handler: () => unknown): number {
  const code = reflector.get<number | undefined>(HTTP_CODE_METADATA, handler);
  if (code !== undefined) return code;
  return reflector.get<RequestMethod | undefined>(METHOD_METADATA, handler) === RequestMethod.POST ? 201 : 200;
}

/**
 * Documents the MFA guard's answers (401 `MFA_USER_UNRESOLVED`, 403 `MFA_NOT_BOUND`, 503
 * `MFA_UNAVAILABLE` with `Retry-After`, and optionally the browser 303) with their body schemas. On a
 * method, for that operation; on a controller, for each of its routes except those under `@SkipMfa()`.
 * A response the operation already documents for the same status is kept, and so is its success response
 * (the default 200, or 201 for a POST, is declared when the operation declares no 2xx itself).
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
    const documented = () => reflector.get<Record<string, unknown> | undefined>(DECORATORS.API_RESPONSE, handler) ?? {};
    // @nestjs/swagger documents its default success (200, 201 for POST) only for an operation that declares
    // no response: declaring the MFA answers would drop it, so it is declared here when none is.
    if (!Object.keys(documented()).some((status) => /^2\d\d$/.test(status))) {
      ApiResponse({ status: successStatus(handler), description: '' })(target, key, descriptor);
    }
    for (const response of responses) {
      if (documented()[String(response.status)] !== undefined) continue;
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
