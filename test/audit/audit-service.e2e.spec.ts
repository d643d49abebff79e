import 'reflect-metadata';
import { Test, type TestingModule } from '@nestjs/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GenAuthInvalidResponseError,
  GenAuthValidationError,
  MfaAuditService,
  MfaManagementService,
  MfaModule,
  MfaPolicyError,
  type MfaAuditOptions,
  type MfaAuditRow,
} from 'nestjs-genauth-mfa';
import { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { emulatorOptions } from '../support/emulator-app.js';

/** A pool of `count` users: every third has TOTP, every fifth SMS. */
function pool(emulator: GenAuthEmulator, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const userId = `user-${String(i).padStart(5, '0')}`;
    emulator.addUser({ userId, email: `${userId}@example.test`, mfa: { TOTP: i % 3 === 0, SMS: i % 5 === 0 } });
    ids.push(userId);
  }
  return ids;
}

async function collect(rows: AsyncIterable<MfaAuditRow>, onRow?: (row: MfaAuditRow, index: number) => void) {
  const seen: MfaAuditRow[] = [];
  for await (const row of rows) {
    seen.push(row);
    onRow?.(row, seen.length);
  }
  return seen;
}

describe('MfaAuditService against the emulator', () => {
  let emulator: GenAuthEmulator;
  let moduleRef: TestingModule;
  let audit: MfaAuditService;
  const fast: MfaAuditOptions = { retryBaseDelayMs: 5, retryMaxDelayMs: 2000 };

  beforeEach(async () => {
    emulator = new GenAuthEmulator();
    await emulator.start();
    moduleRef = await Test.createTestingModule({ imports: [MfaModule.forRoot(emulatorOptions(emulator))] }).compile();
    await moduleRef.init();
    audit = moduleRef.get(MfaAuditService);
  });

  afterEach(async () => {
    await moduleRef.close();
    await emulator.stop();
  });

  it.each([0, 1, 50, 51])('audits every user of a pool of %i once, in listing order', async (count) => {
    const ids = pool(emulator, count);
    const run = audit.run({ ...fast, concurrency: 4 });
    const rows = await collect(run);
    expect(rows.map((row) => row.userId)).toEqual(ids);
    expect(rows.every((row) => row.status === 'ok' && row.error === null)).toBe(true);
    expect(rows.at(-1)?.page ?? 1).toBe(Math.max(1, Math.ceil(count / 50)));
    expect(run.summary).toMatchObject({
      users: count,
      bound: { TOTP: ids.filter((_, i) => i % 3 === 0).length, SMS: ids.filter((_, i) => i % 5 === 0).length },
      failed: 0,
      failedPages: [],
    });
    expect(emulator.requestCount('list-users')).toBe(Math.max(1, Math.ceil(count / 50)));
    expect(emulator.requestCount('get-user-mfa-info')).toBe(count);
  });

  it('audits 10,001 users with at most `concurrency` calls at once', async () => {
    const ids = pool(emulator, 10_001);
    // A little latency, so that calls overlap as they do over a real network.
    emulator.setLatency(2);
    emulator.resetCounts();
    const rows = await collect(audit.run({ ...fast, concurrency: 6 }));
    expect(rows.length).toBe(10_001);
    expect(new Set(rows.map((row) => row.userId)).size).toBe(10_001);
    expect(rows.at(-1)).toMatchObject({ userId: ids.at(-1), page: 201 });
    expect(emulator.concurrency().peak).toBeLessThanOrEqual(6);
    expect(emulator.concurrency().peak).toBeGreaterThan(1);
  }, 120_000);

  it('keeps only users missing the policy (and failed rows) and still counts every user', async () => {
    pool(emulator, 30);
    const run = audit.run({ ...fast, missing: 'TOTP' });
    const rows = await collect(run);
    expect(rows.length).toBe(20);
    expect(rows.every((row) => row.bound?.TOTP === false)).toBe(true);
    expect(run.summary).toMatchObject({ users: 30, missing: 20, bound: { TOTP: 10 } });
    const either = await collect(audit.run({ ...fast, missing: ['TOTP', 'SMS'] }));
    expect(either.every((row) => !row.bound!.TOTP && !row.bound!.SMS)).toBe(true);
    expect(either.length).toBe(30 - 10 - 6 + 2);
  });

  it('retries a 429, waiting its Retry-After, and loses no user when 5% of lookups are refused', async () => {
    const ids = pool(emulator, 400);
    emulator.setFault('list-users', { rateLimitRetryAfterSeconds: 1, times: 1 });
    const started = Date.now();
    const first = await collect(audit.run({ ...fast, concurrency: 8 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(first.length).toBe(400);
    emulator.setFault('get-user-mfa-info', { rateLimitRetryAfterSeconds: 0, probability: 0.05 });
    emulator.resetCounts();
    const rows = await collect(audit.run({ ...fast, concurrency: 8 }));
    expect(rows.map((row) => row.userId)).toEqual(ids);
    expect(rows.every((row) => row.status === 'ok')).toBe(true);
    expect(emulator.requestCount('get-user-mfa-info')).toBeGreaterThan(400);
  });

  it('gives failed rows for lookups that fail for good, and goes on', async () => {
    pool(emulator, 12);
    emulator.setFault('get-user-mfa-info', { malformed: 'wrong-shape', times: 3 });
    const run = audit.run({ ...fast, concurrency: 1 });
    const rows = await collect(run);
    expect(rows.length).toBe(12);
    const failed = rows.filter((row) => row.status === 'failed');
    expect(failed.map((row) => row.userId)).toEqual(['user-00000', 'user-00001', 'user-00002']);
    expect(failed[0]).toMatchObject({ bound: null, error: expect.stringContaining('get-user-mfa-info') });
    expect(run.summary).toMatchObject({ users: 9, failed: 3 });
  });

  it('gives one failed row for a page that cannot be listed after its retries, and goes on', async () => {
    pool(emulator, 15);
    let faulted = false;
    const run = audit.run({
      ...fast,
      retries: 1,
      concurrency: 1,
      pageSize: 5,
      onProgress: () => {
        if (!faulted) emulator.setFault('list-users', { httpStatus: 503, times: 2 });
        faulted = true;
      },
    });
    const rows = await collect(run);
    expect(run.summary.failedPages).toEqual([3]);
    expect(rows.filter((row) => row.status === 'ok').length).toBe(10);
    expect(rows.at(-1)).toMatchObject({
      userId: null,
      status: 'failed',
      page: 3,
      error: expect.stringMatching(/page 3/),
    });
  });

  it('says "deleted" for a user removed between the listing and the lookup', async () => {
    pool(emulator, 8);
    let removed = false;
    const run = audit.run({
      ...fast,
      concurrency: 1,
      onProgress: () => {
        if (!removed) emulator.removeUser('user-00005');
        removed = true;
      },
    });
    const rows = await collect(run);
    expect(rows.find((row) => row.userId === 'user-00005')).toMatchObject({ status: 'deleted', error: null });
    expect(run.summary).toMatchObject({ users: 7, deleted: 1, failed: 0 });
  });

  it('stops on abort with whole pages, and a resumed run audits the rest: none twice, none missed', async () => {
    const ids = pool(emulator, 95);
    const controller = new AbortController();
    const run = audit.run({ ...fast, concurrency: 3, pageSize: 10, signal: controller.signal });
    const firstRows: MfaAuditRow[] = [];
    const error = await collect(run, (row, n) => {
      firstRows.push(row);
      if (n === 25) controller.abort(new Error('stop'));
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('stop');
    expect(firstRows.length % 10).toBe(0);
    const point = run.resumePoint;
    expect(point.page).toBe(firstRows.length / 10 + 1);
    expect(point.seen).toEqual(firstRows.slice(-10).map((row) => row.userId));
    // Deletions meanwhile move later users back onto pages already done.
    for (const userId of ['user-00001', 'user-00002', 'user-00004']) emulator.removeUser(userId);
    const rest = await collect(audit.run({ ...fast, concurrency: 3, pageSize: 10, resume: point }));
    const all = [...firstRows, ...rest].map((row) => row.userId);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set(ids));
  });

  it('checks its options and the resume point before anything is sent', async () => {
    expect(() => audit.run({ concurrency: 0 })).toThrow(/concurrency must be a whole number from 1 to 64/);
    expect(() => audit.run({ pageSize: 51 })).toThrow(/pageSize/);
    expect(() => audit.run({ missing: 'PIN' as never })).toThrow(MfaPolicyError);
    expect(() => audit.run({ resume: { page: 0, seen: [] } })).toThrow(/resume.page/);
    const management = moduleRef.get(MfaManagementService);
    await expect(management.listUsers({ page: 1, limit: 51 })).rejects.toBeInstanceOf(GenAuthValidationError);
    expect(emulator.requestCount()).toBe(0);
  });

  it('fails the run when the first page is malformed, and never reads it as users', async () => {
    pool(emulator, 3);
    emulator.setFault('list-users', { malformed: 'wrong-shape' });
    await expect(collect(audit.run(fast))).rejects.toBeInstanceOf(GenAuthInvalidResponseError);
    expect(emulator.requestCount('get-user-mfa-info')).toBe(0);
  });
});
