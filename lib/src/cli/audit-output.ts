import { createWriteStream, existsSync, statSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { mfaAuditCsvHeader, mfaAuditCsvLine, mfaAuditJsonLine } from '../audit/audit-format.js';
import type { MfaAuditRow } from '../audit/audit.types.js';

/** Where rows go: a file (appended to when a run resumes) or standard output; writes wait when it is full. */
export class AuditOutput {
  private constructor(
    private readonly stream: Writable,
    private readonly line: (row: MfaAuditRow) => string,
    private readonly ownsStream: boolean,
  ) {}

  /** Opens the output; a CSV gets its header unless it continues a non-empty file. */
  static async open(out: string | undefined, format: 'csv' | 'jsonl', append: boolean): Promise<AuditOutput> {
    const continuing = append && out !== undefined && existsSync(out) && statSync(out).size > 0;
    const stream = out === undefined ? process.stdout : createWriteStream(out, { flags: continuing ? 'a' : 'w' });
    if (out !== undefined) {
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', reject);
      });
    }
    const output = new AuditOutput(stream, format === 'csv' ? mfaAuditCsvLine : mfaAuditJsonLine, out !== undefined);
    if (format === 'csv' && !continuing) await output.write(mfaAuditCsvHeader());
    return output;
  }

  row(row: MfaAuditRow): Promise<void> | undefined {
    return this.write(this.line(row));
  }

  private write(text: string): Promise<void> | undefined {
    if (this.stream.write(text)) return undefined;
    return new Promise((resolve) => this.stream.once('drain', resolve));
  }

  /** Flushes and closes a file (standard output stays open). */
  close(): Promise<void> {
    if (!this.ownsStream) return Promise.resolve();
    return new Promise((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}
