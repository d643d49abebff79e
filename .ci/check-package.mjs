#!/usr/bin/env node
// The package as it would be published: `npm publish --dry-run` must list only what ships (dist, bin,
// README, LICENSE, CHANGELOG, package.json), publint must find nothing, and the types must resolve (attw).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (command, args, cwd = root) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: 'pipe' });

const dry = JSON.parse(run('npm', ['publish', '--dry-run', '--json', '--workspace', 'lib', '--tag', 'dry-run']));
const listed = (Array.isArray(dry) ? dry[0] : (dry['nestjs-genauth-mfa'] ?? dry)).files.map((f) => f.path);
const allowed = /^(dist\/.+\.(js|d\.ts)|bin\/[a-z-]+\.js|README\.md|LICENSE|CHANGELOG\.md|package\.json)$/;
const stray = listed.filter((path) => !allowed.test(path));
if (stray.length > 0) throw new Error(`npm publish would ship files it should not: ${stray.join(', ')}`);
for (const needed of ['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json', 'dist/index.js', 'bin/genauth-mfa.js']) {
  if (!listed.includes(needed)) throw new Error(`npm publish would not ship ${needed}`);
}
console.log(
  `npm publish --dry-run: ${listed.length} files, all under dist/ and bin/ or README, LICENSE, CHANGELOG, package.json`,
);

const out = mkdtempSync(join(tmpdir(), 'genauth-mfa-pack-'));
try {
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--workspace', 'lib', '--pack-destination', out]));
  const tarball = join(out, packed.filename);
  console.log(run(bin('publint'), ['run', tarball, '--strict']).trim() || 'publint: no issues');
  // node16-from-CJS is reported as "ESM (dynamic import only)": Node >= 20.19 require()s ES modules (the
  // consumer matrix's CommonJS apps prove it), so that one rule is not an error here.
  run(bin('attw'), [tarball, '--ignore-rules', 'cjs-resolves-to-esm']);
  console.log('attw: the types resolve under node10, node16 and bundler');
} finally {
  rmSync(out, { recursive: true, force: true });
}
