import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'lib', 'src');

/** What each room may import (docs/architecture.md, "The rooms"); a room may always import itself. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  contracts: [],
  util: [],
  errors: ['contracts'],
  observability: ['contracts', 'util'],
  checks: ['contracts'],
  dto: ['checks', 'contracts'],
  policy: ['contracts', 'errors', 'util'],
  client: ['contracts', 'errors'],
  transports: ['contracts', 'errors', 'util'],
  management: ['client', 'checks', 'contracts', 'errors'],
  options: ['contracts', 'policy', 'client', 'errors'],
  bindings: ['management', 'observability', 'contracts', 'errors', 'util'],
  stores: ['options', 'contracts', 'errors', 'util'],
  audit: ['management', 'policy', 'client', 'contracts', 'errors'],
  webhooks: ['bindings', 'verifications', 'policy', 'contracts', 'errors'],
  decision: ['bindings', 'verifications', 'observability', 'contracts', 'errors', 'util'],
  factors: ['bindings', 'client', 'verifications', 'contracts', 'errors', 'util'],
  verifications: ['policy', 'contracts', 'util'],
  guard: ['decision', 'transports', 'policy', 'contracts', 'util'],
  terminus: ['bindings', 'management', 'contracts', 'errors'],
  swagger: ['contracts'],
  auth: ['transports', 'verifications', 'options', 'errors'],
  testing: ['client', 'contracts', 'errors', 'util'],
  cli: ['audit', 'contracts', 'errors', '.'],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The room of a file: its first folder under lib/src, or `.` for the files at the top. */
const roomOf = (file: string) => {
  const path = relative(SRC, file);
  return path.includes('/') ? path.slice(0, path.indexOf('/')) : '.';
};

describe('the rooms of lib/src', () => {
  it('import only the rooms below them that docs/architecture.md names', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(50);
    const stray: string[] = [];
    for (const file of files) {
      const from = roomOf(file);
      if (from === '.') continue;
      expect(Object.keys(ALLOWED), `room ${from} is in the table`).toContain(from);
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const to = roomOf(resolve(dirname(file), specifier!));
        if (to !== from && !ALLOWED[from]!.includes(to)) stray.push(`${relative(SRC, file)} imports ${specifier}`);
      }
    }
    expect(stray).toEqual([]);
  });

  it('keep every file under 250 lines', () => {
    const long = sources(SRC)
      .map((file) => [relative(SRC, file), readFileSync(file, 'utf8').split('\n').length - 1] as const)
      .filter(([, lines]) => lines > 250);
    expect(long).toEqual([]);
  });
});
