// Control characters and backslashes: browsers read `/\evil.com` as `//evil.com`.
// eslint-disable-next-line no-control-regex -- the point is to find control characters
const UNSAFE_PATH = /[\u0000-\u001f\u007f\\]/;

/**
 * Whether `value` is a path on this origin (`/reports?q=1`): it starts with one `/`, holds no backslash
 * or control character, and is at most 2048 characters. `//evil.com`, `/\evil.com`, `https://…` and
 * `javascript:` are not. The one copy of this rule: the enrollment URL option, the redirects and
 * `safeReturnTo` all use it.
 */
export function isSameOriginPath(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= 2048 &&
    value.startsWith('/') &&
    !value.startsWith('//') &&
    !UNSAFE_PATH.test(value)
  );
}

/**
 * Whether `value` may be sent as a redirect's target: a path on this origin, or an absolute `http(s)://`
 * URL with a host. Used for `enrollmentUrl`, the option and what a function of it returns.
 */
export function isRedirectTarget(value: unknown): value is string {
  if (isSameOriginPath(value)) return true;
  if (typeof value !== 'string' || !/^https?:\/\/[^/\\]/i.test(value) || !URL.canParse(value)) return false;
  return new URL(value).hostname !== '';
}
