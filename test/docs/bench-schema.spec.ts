import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const latest = JSON.parse(readFileSync(join(ROOT, 'test', 'bench', 'results', 'latest.json'), 'utf8')) as Record<
  string,
  unknown
>;

/** The table of docs/performance.md's "What latest.json holds": key → its documented fields. */
function documented(): Map<string, string[]> {
  const text = readFileSync(join(ROOT, 'docs', 'performance.md'), 'utf8');
  const section = text.split('## What latest.json holds')[1]?.split('\n## ')[0] ?? '';
  const rows = new Map<string, string[]>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const key = /^`([A-Za-z]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!key) continue;
    rows.set(
      key,
      [...(cells[3] ?? '').matchAll(/`([A-Za-z0-9]+)`/g)].map((m) => m[1]!),
    );
  }
  return rows;
}

/** The fields of a value: an object's keys, an array's elements' keys (the same for every element), else none. */
function fieldsOf(value: unknown): string[] {
  if (Array.isArray(value)) {
    const each = value.map((element) => fieldsOf(element).join(','));
    expect(new Set(each).size, 'every element has the same fields').toBe(1);
    return fieldsOf(value[0]);
  }
  return value !== null && typeof value === 'object' ? Object.keys(value) : [];
}

describe("the bench's latest.json", () => {
  const schema = documented();

  it('has exactly the keys docs/performance.md documents', () => {
    expect(schema.size).toBeGreaterThan(10);
    expect(Object.keys(latest).sort()).toEqual([...schema.keys()].sort());
  });

  it('has, under each key, exactly the fields documented for it', () => {
    for (const [key, fields] of schema) expect([key, fieldsOf(latest[key]).sort()]).toEqual([key, [...fields].sort()]);
  });
});
