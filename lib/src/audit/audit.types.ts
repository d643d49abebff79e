import type { MfaFactor } from '../contracts/mfa-factor.js';
import type { MfaStaticPolicy } from '../contracts/policy.js';

/**
 * What a row says of its user: `ok` (looked up), `deleted` (listed, then gone before the lookup: GenAuth
 * answered 2004), `failed` (the lookup, or the listing of the user's page, failed after its retries).
 */
export type MfaAuditStatus = 'ok' | 'deleted' | 'failed';

/** One user of an audit. */
export interface MfaAuditRow {
  /** The user's id; null only in the row that stands for a page that could not be listed. */
  readonly userId: string | null;
  readonly username: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  /** Per factor, whether it is bound; null unless `status` is `ok`. */
  readonly bound: Readonly<Record<MfaFactor, boolean>> | null;
  /** When the user last did MFA (ISO 8601, from the listing), or null when never. */
  readonly lastMfaTime: string | null;
  readonly status: MfaAuditStatus;
  /** Why the row is `failed` (GenAuth's message, never a secret), else null. */
  readonly error: string | null;
  /** The list-users page the user was on. */
  readonly page: number;
}

/**
 * Where an interrupted audit continues: the next page, and the ids of the last page done (when users were
 * deleted meanwhile, later users move to earlier pages; the audit re-reads the page before and skips these).
 */
export interface MfaAuditResumePoint {
  readonly page: number;
  readonly seen: readonly string[];
}

/** How far an audit is. */
export interface MfaAuditProgress {
  /** Users in the pool, as the latest page said. */
  readonly totalCount: number;
  /** Users looked up so far (every status), this run. */
  readonly audited: number;
  /** Of those, failed ones. */
  readonly failed: number;
  /** Users the run started after (the pages before its first), for a resumed run's percentage. */
  readonly skipped: number;
  /** Milliseconds since the run started. */
  readonly elapsedMs: number;
}

/** Counts of a whole run (every user looked up, whether or not the filter kept their row). */
export interface MfaAuditSummary {
  /** Users looked up with an answer (`ok`). */
  readonly users: number;
  /** Per factor, users with it bound. */
  readonly bound: Readonly<Record<MfaFactor, number>>;
  /** Users that do not meet `missing` (without a filter: users with no factor bound). */
  readonly missing: number;
  readonly deleted: number;
  /** Users whose lookup failed after retries. */
  readonly failed: number;
  /** Pages that could not be listed after retries (their users are not in the run). */
  readonly failedPages: readonly number[];
}

/** Options of {@link MfaAuditService.run}. */
export interface MfaAuditOptions {
  /** Upstream calls at once, listings and lookups together: 1 to 64. Default 8 (GenAuth allows 300 per second). */
  readonly concurrency?: number;
  /** Users per list-users page, 1 to 50. Default 50. */
  readonly pageSize?: number;
  /**
   * Only rows of users who do not meet this policy (`'TOTP'`, `['SMS', 'TOTP']` = any of them, `{ allOf }`),
   * plus failed rows (whether they meet it is unknown). Default: every row.
   */
  readonly missing?: MfaStaticPolicy;
  /** Continue an interrupted run from its {@link MfaAuditRun.resumePoint}. */
  readonly resume?: MfaAuditResumePoint;
  /** Stops the run: the iteration throws the signal's reason; rows already yielded are whole pages. */
  readonly signal?: AbortSignal;
  /** Called after each lookup (keep it cheap). */
  readonly onProgress?: (progress: MfaAuditProgress) => void;
  /** Retries of a call answered 429, 5xx or not at all: 0 to 20. Default 6. */
  readonly retries?: number;
  /** First backoff delay, doubled per retry with full jitter; `Retry-After` is honoured above it. Default 250 ms. */
  readonly retryBaseDelayMs?: number;
  /** Longest wait before one retry, `Retry-After` included. Default 30,000 ms. */
  readonly retryMaxDelayMs?: number;
}
