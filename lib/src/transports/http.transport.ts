import { MfaEnrollmentRedirectException, mfaHttpException } from '../errors/mfa.exceptions.js';
import { enrollmentRedirect } from './enrollment-redirect.js';
import { isObject, setHeader, userOnCarrier, type MfaTransport } from './mfa-transport.js';

/**
 * HTTP (Express, Fastify): the user is `request.user`, the request is the request, a denial is an
 * `HttpException` (with `Retry-After` on a 503), and a browser navigation that misses a factor gets a 303
 * to the enrollment page instead.
 */
export const httpTransport: MfaTransport = {
  type: 'http',
  userSource: 'request.user',
  prepare: () => undefined,
  carrier: (context) => context.getArgByIndex(0),
  response: (context) => context.getArgByIndex(1),
  requestKey: (_context, carrier) => (isObject(carrier) ? carrier : undefined),
  user: (carrier) => userOnCarrier(carrier),
  denial(denial, reply) {
    if (denial.code === 'MFA_NOT_BOUND' && reply.settings.redirectToEnrollment) {
      const location = enrollmentRedirect(reply.carrier, denial.enrollmentUrl);
      if (location !== undefined && setHeader(reply.response, 'Location', location)) {
        return new MfaEnrollmentRedirectException(location, {
          statusCode: 303,
          code: denial.code,
          message: `Enroll ${denial.missingFactors.join(', ')} to continue.`,
          location,
        });
      }
    }
    const body = reply.body();
    if (denial.code === 'MFA_UNAVAILABLE') setHeader(reply.response, 'Retry-After', String(denial.retryAfterSeconds));
    return mfaHttpException(denial, body);
  },
};
