import { rmSync, writeFileSync } from 'node:fs';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MfaAuditService } from '../audit/mfa-audit.service.js';
import type { MfaAuditRow, MfaAuditSummary } from '../audit/audit.types.js';
import { GENAUTH_API_CODES, isCredentialApiCode } from '../contracts/api-codes.js';
import { MFA_FACTORS } from '../contracts/mfa-factor.js';
import { GenAuthApiError } from '../errors/genauth.errors.js';
import { MfaModule } from '../mfa.module.js';
import type { AuditArgs } from './audit-args.js';
import { AuditOutput } from './audit-output.js';
import { CommandError, EXIT } from './command-exit.js';
import { ProgressLine } from './progress-line.js';

function refusedCredentials(error: unknown): boolean {
  if (!(error instanceof GenAuthApiError)) return false;
  const { apiCode, statusCode } = error;
  return isCredentialApiCode(apiCode) || apiCode === GENAUTH_API_CODES.TOKEN_REJECTED || statusCode === 401;
}

/** Runs the audit: the first page before any output exists, then rows as pages complete, a summary at the end. */
export async function runAudit(args: AuditArgs): Promise<number> {
  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(MfaModule.forRoot(args.credentials), { logger: false });
  } catch (error) {
    throw new CommandError(`the credentials are not usable: ${(error as Error).message}`, EXIT.USAGE);
  }
  const abort = new AbortController();
  const interrupt = () =>
    abort.signal.aborted ? process.exit(EXIT.INTERRUPTED) : abort.abort(new Error('interrupted'));
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  const progress = args.quiet ? undefined : new ProgressLine(process.stderr);
  const run = app.get(MfaAuditService).run({
    concurrency: args.concurrency,
    pageSize: args.pageSize,
    ...(args.missing ? { missing: args.missing } : {}),
    ...(args.resume ? { resume: args.resume } : {}),
    signal: abort.signal,
    onProgress: (p) => progress?.update(p),
  });
  const rows = run[Symbol.asyncIterator]();
  let output: AuditOutput | undefined;
  try {
    let next: IteratorResult<MfaAuditRow>;
    try {
      next = await rows.next();
    } catch (error) {
      if (abort.signal.aborted) return EXIT.INTERRUPTED;
      const message = (error as Error).message;
      if (refusedCredentials(error)) throw new CommandError(`GenAuth refused the credentials: ${message}`, EXIT.USAGE);
      throw new CommandError(`cannot list users: ${message}`, EXIT.SOME_FAILED);
    }
    output = await AuditOutput.open(args.out, args.format, args.resume !== undefined);
    for (; !next.done; next = await rows.next()) await output.row(next.value);
  } catch (error) {
    if (!abort.signal.aborted || error instanceof CommandError) throw error;
    progress?.finish();
    await output?.close();
    writeFileSync(args.resumeFile, `${JSON.stringify({ ...run.resumePoint, savedAt: new Date().toISOString() })}\n`);
    process.stderr.write(
      `interrupted: the output holds whole pages up to page ${run.resumePoint.page - 1}; ` +
        `continue with --resume ${args.resumeFile}\n`,
    );
    return EXIT.INTERRUPTED;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    await app.close();
  }
  progress?.finish();
  await output.close();
  rmSync(args.resumeFile, { force: true });
  process.stderr.write(`${summaryLine(run.summary, args)}\n`);
  return run.summary.failed > 0 || run.summary.failedPages.length > 0 ? EXIT.SOME_FAILED : EXIT.DONE;
}

function summaryLine(summary: MfaAuditSummary, args: AuditArgs): string {
  const bound = MFA_FACTORS.map((factor) => `${factor} ${summary.bound[factor]}`).join(', ');
  const missing = args.missing ? `without ${args.missing.join(' or ')}` : 'with no factor';
  const pages = summary.failedPages.length ? `, pages not listed: ${summary.failedPages.join(' ')}` : '';
  return (
    `summary: ${summary.users} users; bound: ${bound}; ${summary.missing} ${missing}; ` +
    `${summary.deleted} deleted meanwhile; ${summary.failed} errors${pages}`
  );
}
