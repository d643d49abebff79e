import { isSameOriginPath } from '../contracts/same-origin-path.js';
import { isObject } from './mfa-transport.js';

/**
 * The query parameter the guard adds to `returnTo`. A request that carries it has come back from
 * enrollment, and is never sent there again: a user who did not enroll gets the 403, not a loop.
 */
export const MFA_RETURN_PARAM = 'mfa_return';

/**
 * `value` when it is a path on this origin (`/reports?q=1`), else `fallback`. Enrollment pages use it on
 * the `returnTo` they were given before redirecting to it: anything else (`https://evil.com`,
 * `//evil.com`, `/\evil.com`, `javascript:`) would make them an open redirect.
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  return isSameOriginPath(value) ? value : fallback;
}

/**
 * Where a browser navigation denied for a missing factor goes: the enrollment URL with `returnTo` (the
 * request's own path and query, marked as returning), or undefined when the request must get the 403:
 * not a GET, not asking for HTML, already back from enrollment, the enrollment page itself, or a path
 * that is not a safe same-origin path.
 */
export function enrollmentRedirect(request: unknown, enrollmentUrl: string | undefined): string | undefined {
  if (!enrollmentUrl || !isObject(request) || request['method'] !== 'GET') return undefined;
  const headers = request['headers'];
  const accept = isObject(headers) ? headers['accept'] : undefined;
  if (typeof accept !== 'string' || !accept.includes('text/html')) return undefined;
  const raw = request['originalUrl'] ?? request['url'];
  if (typeof raw !== 'string' || safeReturnTo(raw, '') === '') return undefined;
  const here = new URL(raw, 'http://app.invalid');
  if (here.searchParams.has(MFA_RETURN_PARAM)) return undefined;
  let target: URL;
  try {
    target = new URL(enrollmentUrl, 'http://app.invalid');
  } catch {
    return undefined;
  }
  if (target.pathname === here.pathname) return undefined;
  here.searchParams.set(MFA_RETURN_PARAM, '1');
  target.searchParams.set('returnTo', here.pathname + here.search);
  return target.origin === 'http://app.invalid' ? target.pathname + target.search + target.hash : target.href;
}
