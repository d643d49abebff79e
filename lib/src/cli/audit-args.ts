import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkedResume } from '../audit/resume-point.js';
import type { MfaAuditResumePoint } from '../audit/audit.types.js';
import { parseFactor, type MfaFactor } from '../contracts/mfa-factor.js';
import { UsageError } from './command-exit.js';

export const AUDIT_USAGE = `usage: genauth-mfa audit [--missing FACTOR[,FACTOR]] [--format csv|jsonl] [--out FILE]
                         [--concurrency N] [--page-size N] [--resume FILE] [--quiet]

Lists every user of the pool with the MFA factors they have bound.
  --missing F[,F]   only users who have none of these factors bound (EMAIL, SMS, TOTP, FACE), plus failed rows
  --format F        csv (default; RFC 4180, user id first) or jsonl (one JSON object per line)
  --out FILE        write rows to FILE (default: standard output)
  --concurrency N   calls to GenAuth at once, 1 to 64 (default 8)
  --page-size N     users per list-users page, 1 to 50 (default 50)
  --resume FILE     continue the run saved in FILE; an interrupted run saves itself there
                    (default: FILE.resume.json beside --out, else ./genauth-mfa-audit.resume.json)
  --quiet           no progress
Credentials from the environment: GENAUTH_ACCESS_KEY_ID, GENAUTH_ACCESS_KEY_SECRET, GENAUTH_HOST
(default https://api.genauth.ai), GENAUTH_USER_POOL_ID (optional).
Exit codes: 0 done, 1 some users could not be audited, 2 usage or credentials, 130 interrupted (resumable).`;

/** What `genauth-mfa audit` was asked to do, checked. */
export interface AuditArgs {
  readonly missing: readonly MfaFactor[] | undefined;
  readonly format: 'csv' | 'jsonl';
  readonly out: string | undefined;
  readonly concurrency: number;
  readonly pageSize: number;
  readonly resumeFile: string;
  /** The saved point when the resume file exists. */
  readonly resume: MfaAuditResumePoint | undefined;
  readonly quiet: boolean;
  readonly credentials: { host?: string; accessKeyId: string; accessKeySecret: string; userPoolId?: string };
}

function wholeFlag(value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max} (got ${JSON.stringify(value)})`);
  }
  return Number(value);
}

function writable(file: string): void {
  const path = resolve(file);
  try {
    if (existsSync(path)) {
      if (statSync(path).isDirectory()) throw new Error('it is a directory');
      accessSync(path, constants.W_OK);
    } else accessSync(dirname(path), constants.W_OK);
  } catch (error) {
    throw new UsageError(`--out: cannot write ${file}: ${(error as Error).message}`);
  }
}

function savedPoint(file: string): MfaAuditResumePoint | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return checkedResume(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new UsageError(`--resume: ${file} is not a resume file of genauth-mfa audit: ${(error as Error).message}`);
  }
}

/** Reads the flags of `genauth-mfa audit` and the credentials; throws {@link UsageError} naming what is wrong. */
export function parseAuditArgs(argv: readonly string[], env: NodeJS.ProcessEnv): AuditArgs | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      missing: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      concurrency: { type: 'string' },
      'page-size': { type: 'string' },
      resume: { type: 'string' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  let missing: MfaFactor[] | undefined;
  if (values.missing !== undefined) {
    missing = values.missing.split(',').map((name) => {
      const factor = parseFactor(name.trim().toUpperCase());
      if (!factor)
        throw new UsageError(`--missing: unknown factor ${JSON.stringify(name)}; use EMAIL, SMS, TOTP, FACE`);
      return factor;
    });
  }
  const format = values.format ?? 'csv';
  if (format !== 'csv' && format !== 'jsonl') throw new UsageError(`--format must be csv or jsonl (got ${format})`);
  const concurrency = wholeFlag(values.concurrency, '--concurrency', 8, 1, 64);
  const pageSize = wholeFlag(values['page-size'], '--page-size', 50, 1, 50);
  if (values.out !== undefined) writable(values.out);
  const resumeFile =
    values.resume ?? (values.out !== undefined ? `${values.out}.resume.json` : 'genauth-mfa-audit.resume.json');
  const accessKeyId = env['GENAUTH_ACCESS_KEY_ID'] ?? '';
  const accessKeySecret = env['GENAUTH_ACCESS_KEY_SECRET'] ?? '';
  if (accessKeyId === '') throw new UsageError('GENAUTH_ACCESS_KEY_ID is not set');
  if (accessKeySecret === '') throw new UsageError('GENAUTH_ACCESS_KEY_SECRET is not set');
  const host = env['GENAUTH_HOST'] || undefined;
  const userPoolId = env['GENAUTH_USER_POOL_ID'] || undefined;
  return {
    missing,
    format,
    out: values.out,
    concurrency,
    pageSize,
    resumeFile,
    resume: values.resume === undefined ? undefined : savedPoint(values.resume),
    quiet: values.quiet ?? false,
    credentials: { host, accessKeyId, accessKeySecret, userPoolId },
  };
}
