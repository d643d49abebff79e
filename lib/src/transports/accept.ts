/** The media types that mean "a page": what a browser asks for first when it navigates. */
const PAGE_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/**
 * Whether an `Accept` header (RFC 9110 §12.5.1) prefers a page: `text/html` (or XHTML) is listed by name
 * with q > 0, and no type listed by name has a higher q. Wildcards choose nothing (`*\/*` alone is an API
 * client); `q=0` means "not acceptable"; parameters other than `q` are ignored; `text/htmlx` is not
 * `text/html`. A malformed q counts as 0.
 */
export function prefersPage(accept: string): boolean {
  if (accept.length > 4096) return false;
  let page = 0;
  let other = 0;
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';');
    const name = type!.trim().toLowerCase();
    if (name === '' || name.endsWith('/*')) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=');
      if (key!.trim().toLowerCase() !== 'q') continue;
      const text = (value ?? '').trim();
      q = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(text) ? Number(text) : 0;
    }
    if (PAGE_TYPES.has(name)) page = Math.max(page, q);
    else other = Math.max(other, q);
  }
  return page > 0 && page >= other;
}
