/**
 * The time (ms since the epoch) of an `enforceFrom` date: a `Date`, or an ISO 8601 string with a time zone
 * (`2027-01-15`, `2027-01-15T09:00:00Z`, `2027-01-15T09:00:00+08:00`). Anything else is a mistake to stop
 * the app for: a date read in the server's local zone would move with the server. Returns undefined when
 * the value is not a valid date.
 */
export function enforceFromTime(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string') return undefined;
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(value.trim());
  if (!iso) return undefined;
  const time = Date.parse(value.trim());
  return Number.isNaN(time) ? undefined : time;
}
