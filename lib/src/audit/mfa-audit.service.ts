import { Injectable } from '@nestjs/common';
import { MfaManagementService } from '../management/mfa-management.service.js';
import { compileStaticPolicy } from '../policy/policy-compiler.js';
import { MfaAuditRun } from './audit-run.js';
import { checkedResume } from './resume-point.js';
import type { MfaAuditOptions } from './audit.types.js';

/**
 * Who has bound which factor, over the whole user pool. GenAuth has no batch MFA endpoint, so an audit pages
 * through `list-users` (50 users a page) and looks up each user's bindings, with bounded concurrency, retries
 * that honour `Retry-After`, and memory that stays flat however many users there are.
 * @example
 * ```ts
 * const run = audit.run({ missing: 'TOTP', concurrency: 8 });
 * for await (const row of run) console.log(row.userId, row.status, row.error ?? '');
 * console.log(run.summary);
 * ```
 */
@Injectable()
export class MfaAuditService {
  /** @internal Nest creates it. */
  constructor(private readonly management: MfaManagementService) {}

  /**
   * Starts an audit (nothing is sent until it is iterated). Throws `RangeError` for a bad option. The
   * iteration throws when the first page cannot be listed (refused credentials, GenAuth unreachable);
   * later failures become rows with `status: 'failed'`.
   */
  run(options: MfaAuditOptions = {}): MfaAuditRun {
    const concurrency = whole(options.concurrency, 8, 1, 64, 'concurrency');
    const pageSize = whole(options.pageSize, 50, 1, 50, 'pageSize');
    const retries = whole(options.retries, 6, 0, 20, 'retries');
    const baseDelayMs = whole(options.retryBaseDelayMs, 250, 1, 60_000, 'retryBaseDelayMs');
    const maxDelayMs = whole(options.retryMaxDelayMs, 30_000, 1, 600_000, 'retryMaxDelayMs');
    const missing = options.missing === undefined ? undefined : compileStaticPolicy(options.missing);
    if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
      throw new RangeError('onProgress must be a function');
    }
    return new MfaAuditRun(this.management, {
      concurrency,
      pageSize,
      missing,
      resume: options.resume === undefined ? undefined : checkedResume(options.resume),
      retry: { retries, baseDelayMs, maxDelayMs, signal: options.signal },
      onProgress: options.onProgress,
    });
  }
}

function whole(value: unknown, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}
