import { MFA_FACTORS } from '../contracts/mfa-factor.js';
import type { MfaAuditRow } from './audit.types.js';

/** The columns of an audit's CSV, user id first. */
export const MFA_AUDIT_COLUMNS: readonly string[] = Object.freeze([
  'userId',
  'username',
  'email',
  'phone',
  ...MFA_FACTORS,
  'lastMfaTime',
  'status',
  'error',
  'page',
]);

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break. A cell a spreadsheet would
 * run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV header line, with its CRLF. */
export function mfaAuditCsvHeader(): string {
  return `${MFA_AUDIT_COLUMNS.join(',')}\r\n`;
}

/** A row as a CSV line, with its CRLF. Bindings are `true`/`false`, empty when unknown. */
export function mfaAuditCsvLine(row: MfaAuditRow): string {
  const cells = [
    row.userId,
    row.username,
    row.email,
    row.phone,
    ...MFA_FACTORS.map((factor) => (row.bound ? row.bound[factor] : null)),
    row.lastMfaTime,
    row.status,
    row.error,
    row.page,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A row as one JSON line, with its LF. */
export function mfaAuditJsonLine(row: MfaAuditRow): string {
  return `${JSON.stringify(row)}\n`;
}
