import { isRedirectTarget, isSameOriginPath } from '../contracts/same-origin-path.js';
import { prefersPage } from './accept.js';
import { isObject } from './mfa-transport.js';

/**
 * The query parameter the guard adds to `returnTo`. A request that carries it has come back from
 * enrollment, and is never sent there again: a user who did not enroll gets the 403, not a loop.
 */
export const MFA_RETURN_PARAM = 'mfa_return';

const BASE = 'http://app.invalid';

/**
 * `value` when it is a path on this origin (`/reports?q=1`), else `fallback` when that is one, else `/`.
 * Enrollment pages use it on the `returnTo` they were given before redirecting to it: anything else
 * (`https://evil.com`, `//evil.com`, `/\evil.com`, `javascript:`) would make them an open redirect.
 */
export function safeReturnTo(value: unknown, fallback = '/'): string {
  if (isSameOriginPath(value)) return value;
  return isSameOriginPath(fallback) ? fallback : '/';
}

/**
 * Where a browser navigation denied for a missing factor goes: the enrollment URL with `returnTo` (the
 * request's own path and query, normalised and marked as returning), or undefined when the request must
 * get the 403: not a GET, not preferring a page, already back from enrollment, the enrollment page itself,
 * or a `returnTo` or a target that would not stay a same-origin path or an http(s) URL. The values checked
 * are the values sent.
 */
export function enrollmentRedirect(request: unknown, enrollmentUrl: string | undefined): string | undefined {
  if (!isRedirectTarget(enrollmentUrl) || !isObject(request) || request['method'] !== 'GET') return undefined;
  const headers = request['headers'];
  const accept = isObject(headers) ? headers['accept'] : undefined;
  if (typeof accept !== 'string' || !prefersPage(accept)) return undefined;
  const raw = request['originalUrl'] ?? request['url'];
  if (!isSameOriginPath(raw)) return undefined;
  const here = new URL(raw, BASE);
  if (here.origin !== BASE || here.searchParams.has(MFA_RETURN_PARAM)) return undefined;
  let target: URL;
  try {
    target = new URL(enrollmentUrl, BASE);
  } catch {
    return undefined;
  }
  if (target.pathname === here.pathname) return undefined;
  here.searchParams.set(MFA_RETURN_PARAM, '1');
  // Normalising can turn `/..//evil.com` into `//evil.com`: the path is checked as it will be sent.
  const returnTo = here.pathname + here.search;
  if (!isSameOriginPath(returnTo)) return undefined;
  target.searchParams.set('returnTo', returnTo);
  if (target.origin === BASE) {
    const location = target.pathname + target.search + target.hash;
    return isSameOriginPath(location) ? location : undefined;
  }
  return target.href;
}
