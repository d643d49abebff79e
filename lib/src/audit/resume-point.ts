import type { MfaAuditResumePoint } from './audit.types.js';

/** A resume point as a file gives it back: checked, since it may have been edited or truncated. */
export function checkedResume(value: unknown): MfaAuditResumePoint {
  const point = value as Partial<MfaAuditResumePoint> | null;
  const page = point?.page;
  const seen = point?.seen ?? [];
  if (typeof page !== 'number' || !Number.isSafeInteger(page) || page < 1) {
    throw new RangeError('resume.page must be a whole number, 1 or more');
  }
  if (!Array.isArray(seen) || seen.length > 50 || !seen.every((id) => typeof id === 'string' && id !== '')) {
    throw new RangeError('resume.seen must be a list of at most 50 user ids');
  }
  return { page, seen: [...(seen as string[])] };
}
