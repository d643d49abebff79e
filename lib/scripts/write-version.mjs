// Writes src/contracts/version.ts from package.json before each build: the library's version is derived,
// never kept in step by hand. (Reading package.json at run time would need import.meta, which the
// CommonJS jest setups of Nest 11 apps cannot load.)
import { readFileSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const target = new URL('../src/contracts/version.ts', import.meta.url);
const text = `// Written by scripts/write-version.mjs from package.json at each build: do not edit.

/** The library's version, from its package.json (the meter's version too). */
export const LIBRARY_VERSION = '${version}';
/** Product string sent as the SDK version header. */
export const SDK_VERSION = \`nestjs-genauth-mfa:\${LIBRARY_VERSION}\`;
`;
let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {
  // First build.
}
if (current !== text) writeFileSync(target, text);
