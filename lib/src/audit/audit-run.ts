import { FACTOR_BIT, MFA_FACTORS, type MfaFactor } from '../contracts/mfa-factor.js';
import type { RequiredFactors } from '../contracts/policy.js';
import { GENAUTH_API_CODES } from '../contracts/api-codes.js';
import { GenAuthApiError } from '../errors/genauth.errors.js';
import type { MfaManagementService } from '../management/mfa-management.service.js';
import type { ListedUser, UserPage } from '../management/mfa-management.types.js';
import { isSatisfied } from '../policy/policy-compiler.js';
import { AuditLimiter } from './audit-limiter.js';
import { withRetries, type AuditRetryPolicy } from './audit-retry.js';
import type { MfaAuditProgress, MfaAuditResumePoint, MfaAuditRow, MfaAuditSummary } from './audit.types.js';

/** The settings of one run, checked by the service. @internal */
export interface AuditRunSettings {
  readonly concurrency: number;
  readonly pageSize: number;
  /** The filter: rows of users who do not meet it (undefined: every row). */
  readonly missing: RequiredFactors | undefined;
  readonly resume: MfaAuditResumePoint | undefined;
  readonly retry: AuditRetryPolicy;
  readonly onProgress: ((progress: MfaAuditProgress) => void) | undefined;
}

interface PageResult {
  readonly rows: MfaAuditRow[];
  readonly totalCount: number | undefined;
}

/**
 * One audit: an async iterable of rows, page after page in listing order, each page yielded whole. Listings
 * and lookups share one limiter of `concurrency` slots; a few pages are in flight at once, so memory stays
 * that of those pages however many users the pool has.
 */
export class MfaAuditRun implements AsyncIterable<MfaAuditRow> {
  private readonly limiter: AuditLimiter;
  private readonly startedAt = Date.now();
  private readonly counts = { users: 0, missing: 0, deleted: 0, failed: 0, audited: 0 };
  private readonly boundCounts: Record<MfaFactor, number> = { EMAIL: 0, SMS: 0, TOTP: 0, FACE: 0 };
  private readonly failedPages: number[] = [];
  private totalCount = 0;
  private point: MfaAuditResumePoint;
  private started = false;

  /** @internal The service creates runs. */
  constructor(
    private readonly management: MfaManagementService,
    private readonly settings: AuditRunSettings,
  ) {
    this.limiter = new AuditLimiter(settings.concurrency, settings.retry.signal);
    this.point = settings.resume ?? { page: 1, seen: [] };
  }

  /** Where to continue if the run stops now: after the last page whose rows were all yielded. */
  get resumePoint(): MfaAuditResumePoint {
    return this.point;
  }

  /** Counts so far; final once the iteration has ended. */
  get summary(): MfaAuditSummary {
    const { users, missing, deleted, failed } = this.counts;
    return { users, bound: { ...this.boundCounts }, missing, deleted, failed, failedPages: [...this.failedPages] };
  }

  async *[Symbol.asyncIterator](): AsyncIterator<MfaAuditRow> {
    if (this.started) throw new Error('an audit run can be iterated once; start another with MfaAuditService.run()');
    this.started = true;
    const { resume, pageSize, concurrency } = this.settings;
    // Re-reading the page before the resume point catches users that deletions moved back onto it.
    const skip = new Set(resume?.seen ?? []);
    const first = skip.size > 0 ? Math.max(1, resume!.page - 1) : (resume?.page ?? 1);
    const skipUntil = skip.size > 0 ? first + 1 : 0;
    // The first page is read before anything else, so that refused credentials fail the run at once.
    const firstPage = await this.listPage(first, true);
    this.totalCount = firstPage.totalCount;
    let last = Math.max(first, Math.ceil(firstPage.totalCount / pageSize));
    const window = Math.max(2, Math.ceil((2 * concurrency) / pageSize) + 1);
    const inFlight = new Map<number, Promise<PageResult>>();
    const start = (page: number) => {
      const listed = page === first ? Promise.resolve(firstPage) : this.listPage(page, false);
      const result = this.auditPage(page, listed, page <= skipUntil ? skip : undefined);
      result.catch(() => undefined); // awaited in order below; an abort must not leave it unhandled
      inFlight.set(page, result);
    };
    for (let page = first; page <= last; page++) {
      this.settings.retry.signal?.throwIfAborted();
      for (let ahead = page; ahead < page + window && ahead <= last; ahead++) if (!inFlight.has(ahead)) start(ahead);
      const result = await inFlight.get(page)!;
      inFlight.delete(page);
      if (result.totalCount !== undefined) {
        this.totalCount = result.totalCount;
        last = Math.max(last, Math.ceil(result.totalCount / pageSize));
      }
      for (const row of result.rows) if (this.keeps(row)) yield row;
      const seen: string[] = [];
      for (const row of result.rows) if (row.userId !== null) seen.push(row.userId);
      this.point = { page: page + 1, seen };
    }
  }

  private listPage(page: number, urgent: boolean): Promise<UserPage> {
    return withRetries(
      () => this.limiter.run(() => this.management.listUsers({ page, limit: this.settings.pageSize }), urgent),
      this.settings.retry,
    );
  }

  private async auditPage(page: number, listed: Promise<UserPage>, skip: Set<string> | undefined): Promise<PageResult> {
    let users: UserPage;
    try {
      users = await listed;
    } catch (error) {
      this.settings.retry.signal?.throwIfAborted();
      this.failedPages.push(page);
      const row = failedRow({ userId: null, username: null, email: null, phone: null, lastMfaTime: null }, page);
      return { rows: [{ ...row, error: `list-users page ${page}: ${messageOf(error)}` }], totalCount: undefined };
    }
    const todo = skip ? users.list.filter((user) => !skip.has(user.userId)) : users.list;
    const rows = await Promise.all(todo.map((user) => this.auditUser(user, page)));
    return { rows, totalCount: users.totalCount };
  }

  private async auditUser(user: ListedUser, page: number): Promise<MfaAuditRow> {
    let row: MfaAuditRow;
    try {
      const info = await withRetries(
        () => this.limiter.run(() => this.management.getUserMfaInfo({ userId: user.userId, userIdType: 'user_id' })),
        this.settings.retry,
      );
      row = { ...user, bound: { ...info.bound }, status: 'ok', error: null, page };
    } catch (error) {
      this.settings.retry.signal?.throwIfAborted();
      const gone = error instanceof GenAuthApiError && error.apiCode === GENAUTH_API_CODES.USER_NOT_FOUND;
      row = gone
        ? { ...user, bound: null, status: 'deleted', error: null, page }
        : { ...failedRow(user, page), error: messageOf(error) };
    }
    this.count(row);
    return row;
  }

  private count(row: MfaAuditRow): void {
    const counts = this.counts;
    counts.audited += 1;
    if (row.status === 'deleted') counts.deleted += 1;
    else if (row.status === 'failed') counts.failed += 1;
    else {
      counts.users += 1;
      for (const factor of MFA_FACTORS) if (row.bound![factor]) this.boundCounts[factor] += 1;
      if (this.isMissing(row)) counts.missing += 1;
    }
    this.settings.onProgress?.({
      totalCount: this.totalCount,
      audited: counts.audited,
      failed: counts.failed,
      skipped: (this.settings.resume ? Math.max(0, this.settings.resume.page - 1) : 0) * this.settings.pageSize,
      elapsedMs: Date.now() - this.startedAt,
    });
  }

  private isMissing(row: MfaAuditRow): boolean {
    let mask = 0;
    for (const factor of MFA_FACTORS) if (row.bound![factor]) mask |= FACTOR_BIT[factor];
    const { missing } = this.settings;
    return missing ? !isSatisfied(missing, mask) : mask === 0;
  }

  private keeps(row: MfaAuditRow): boolean {
    if (!this.settings.missing) return true;
    return row.status === 'failed' || (row.status === 'ok' && this.isMissing(row));
  }
}

function failedRow(user: ListedUser | (Omit<ListedUser, 'userId'> & { userId: null }), page: number): MfaAuditRow {
  return { ...user, bound: null, status: 'failed', error: null, page };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
