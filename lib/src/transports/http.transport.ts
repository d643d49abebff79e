import type { MfaDenial } from '../contracts/denial.js';
import {
  MfaEnrollmentRedirectException,
  mfaHttpException,
  MfaStepUpRequiredException,
  MfaUnavailableException,
} from '../errors/mfa.exceptions.js';
import { enrollmentRedirect } from './enrollment-redirect.js';
import { isObject, setHeader, userOnCarrier, type MfaReply, type MfaTransport } from './mfa-transport.js';

/** The page a browser navigation goes to instead of a denial: enrollment for a missing factor, step-up. */
function pageFor(denial: MfaDenial, reply: MfaReply): { url: string | undefined; message: string } | undefined {
  if (!reply.settings.redirectToEnrollment) return undefined;
  if (denial.code === 'MFA_NOT_BOUND') {
    return { url: denial.enrollmentUrl, message: `Enroll ${denial.missingFactors.join(', ')} to continue.` };
  }
  if (denial.code === 'MFA_STEP_UP_REQUIRED') {
    return { url: denial.stepUpUrl, message: `Verify ${denial.required.factors.join(' or ')} again to continue.` };
  }
  return undefined;
}

/**
 * HTTP (Express, Fastify): the user is `request.user`, the request is the request, a denial is an
 * `HttpException` (with `Retry-After` on a 503, RFC 9470's `WWW-Authenticate` on a step-up challenge), and a
 * browser navigation that misses a factor, or must verify one again, gets a 303 to the enrollment or the
 * step-up page instead.
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
    const page = pageFor(denial, reply);
    const location = page && enrollmentRedirect(reply.carrier, page.url);
    if (location !== undefined && setHeader(reply.response, 'Location', location)) {
      return new MfaEnrollmentRedirectException(location, {
        statusCode: 303,
        code: denial.code,
        message: page!.message,
        location,
      });
    }
    const exception = mfaHttpException(denial, reply.body());
    if (exception instanceof MfaUnavailableException)
      setHeader(reply.response, 'Retry-After', String(exception.retryAfterSeconds));
    if (exception instanceof MfaStepUpRequiredException)
      setHeader(reply.response, 'WWW-Authenticate', exception.challenge);
    return exception;
  },
};
