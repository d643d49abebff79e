// A date-time must name its zone: a date read in the server's local zone would move with the server.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

/**
 * The time (ms since the epoch) of an `enforceFrom` date: a valid `Date`, or an ISO 8601 string that is
 * a calendar date (`2027-01-15`, read as midnight UTC, as ISO 8601 and JavaScript read it) or a date-time
 * with a zone (`2027-01-15T09:00:00Z`, `2027-01-15T09:00:00+08:00`). A date-time without a zone, or any
 * field out of range (`2027-02-30`, `24:00`, an offset of `+25:00`), is undefined: a mistake to stop the
 * app for, never a date rolled over to another.
 */
export function enforceFromTime(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const fields = ISO_DATE.exec(text);
  if (!fields) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0, zoneHours = 0, zoneMinutes = 0] = fields
    .slice(1)
    .map((field) => (field === undefined ? undefined : Number(field)));
  // The fields must survive a round trip through the calendar: 30 February would come back as 2 March.
  const check = new Date(Date.UTC(year!, month! - 1, day, hour, minute, second));
  const exact =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === month! - 1 &&
    check.getUTCDate() === day &&
    check.getUTCHours() === hour &&
    check.getUTCMinutes() === minute &&
    check.getUTCSeconds() === second;
  if (!exact || zoneHours > 23 || zoneMinutes > 59) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

/** What one level (a method, a controller, the module) declares of the rollout. */
export interface RolloutDeclaration {
  /** `@MfaReportOnly(value)`, or the module's `reportOnly`. */
  readonly reportOnly: boolean | undefined;
  /** `@MfaEnforceFrom(date)`, or the module's `enforceFrom`, in ms since the epoch. */
  readonly enforceFrom: number | undefined;
}

/** How a route is rolled out: report-only, in a grace period until `enforceFrom`, or enforced. */
export interface Rollout {
  readonly reportOnly: boolean;
  readonly enforceFrom: number | undefined;
}

/**
 * The rollout of a route, from its levels most specific first (the method, the controller, the module).
 * The most specific level that declares anything decides, both settings together. Within one level,
 * report-only wins over a grace period, a grace period over `@MfaReportOnly(false)`, which enforces.
 */
export function rolloutOf(levels: readonly RolloutDeclaration[]): Rollout {
  for (const { reportOnly, enforceFrom } of levels) {
    if (reportOnly === true) return { reportOnly: true, enforceFrom: undefined };
    if (enforceFrom !== undefined) return { reportOnly: false, enforceFrom };
    if (reportOnly === false) return { reportOnly: false, enforceFrom: undefined };
  }
  return { reportOnly: false, enforceFrom: undefined };
}
