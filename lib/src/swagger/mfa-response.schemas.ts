import type { ApiResponseOptions, SchemaObject } from '@nestjs/swagger';
import { MFA_FACTORS } from '../contracts/mfa-factor.js';

const factors: SchemaObject = { type: 'array', items: { type: 'string', enum: [...MFA_FACTORS] } };
const base = (statusCode: number, code: string) => ({
  statusCode: { type: 'integer', enum: [statusCode] },
  code: { type: 'string', enum: [code] },
  message: { type: 'string' },
});

/** The documented answers of the MFA guard, as OpenAPI responses. */
export const MFA_RESPONSES: Record<'unresolved' | 'notBound' | 'unavailable' | 'redirect', ApiResponseOptions> = {
  unresolved: {
    status: 401,
    description:
      'MFA_USER_UNRESOLVED: no authenticated user to check MFA for; or MFA_STEP_UP_REQUIRED: the route needs a ' +
      'factor verified within maxAgeSeconds (RFC 9470 challenge in WWW-Authenticate).',
    headers: {
      'WWW-Authenticate': {
        description: 'On MFA_STEP_UP_REQUIRED: Bearer error="insufficient_user_authentication", max_age=...',
        schema: { type: 'string' },
      },
    },
    schema: {
      type: 'object',
      required: ['statusCode', 'code', 'message'],
      properties: {
        statusCode: { type: 'integer', enum: [401] },
        code: { type: 'string', enum: ['MFA_USER_UNRESOLVED', 'MFA_STEP_UP_REQUIRED'] },
        message: { type: 'string' },
        maxAgeSeconds: { type: 'integer', description: 'MFA_STEP_UP_REQUIRED: the window, in seconds.' },
        required: { type: 'object', description: 'MFA_STEP_UP_REQUIRED: the factors that would satisfy it.' },
        verifyWith: {
          type: 'array',
          items: { type: 'string', enum: ['EMAIL', 'SMS', 'TOTP', 'FACE'] },
          description: 'MFA_STEP_UP_REQUIRED: the factors this user can verify to pass.',
        },
        stepUpUrl: { type: 'string', description: 'MFA_STEP_UP_REQUIRED: where to verify, when configured.' },
      },
    },
  },
  notBound: {
    status: 403,
    description: 'MFA_NOT_BOUND: the user has not bound the factor(s) this operation requires.',
    schema: {
      type: 'object',
      required: ['statusCode', 'code', 'message', 'required', 'boundFactors', 'missingFactors'],
      properties: {
        ...base(403, 'MFA_NOT_BOUND'),
        required: {
          type: 'object',
          description: 'One key: anyOf (one of the factors suffices) or allOf (all are needed).',
          properties: { anyOf: factors, allOf: factors },
        },
        boundFactors: factors,
        missingFactors: factors,
        enrollmentUrl: { type: 'string', description: 'Where the user enrolls factors, when configured.' },
      },
    },
  },
  unavailable: {
    status: 503,
    description: 'MFA_UNAVAILABLE: the MFA status could not be checked; retry after Retry-After seconds.',
    headers: { 'Retry-After': { description: 'Seconds to wait, 1 to 3600.', schema: { type: 'integer' } } },
    schema: {
      type: 'object',
      required: ['statusCode', 'code', 'message', 'retryAfterSeconds'],
      properties: {
        ...base(503, 'MFA_UNAVAILABLE'),
        retryAfterSeconds: { type: 'integer', minimum: 1, maximum: 3600 },
      },
    },
  },
  redirect: {
    status: 303,
    description: 'A browser navigation that misses a factor is sent to the enrollment page, with returnTo.',
    headers: { Location: { description: 'The enrollment URL with returnTo.', schema: { type: 'string' } } },
  },
};
