/** Longest upstream-sourced text kept in an error message or a log line. */
const MAX_UPSTREAM_TEXT = 300;

/**
 * Makes text that came from upstream (a message, a body excerpt) safe to log or put in an error: every
 * known secret and anything shaped like a bearer token is replaced, then the text is cut to a sane length.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let safe = text.replace(/\bBearer\s+[^\s"',;]+/gi, 'Bearer [redacted]');
  for (const secret of secrets) {
    if (secret) safe = safe.split(secret).join('[redacted]');
  }
  return safe.length > MAX_UPSTREAM_TEXT ? `${safe.slice(0, MAX_UPSTREAM_TEXT)}…` : safe;
}
