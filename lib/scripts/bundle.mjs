// Bundles tsc's output (build/) into the shipped dist/: one file per entry point plus shared chunks, so that
// each module of the library is in one file only (one copy of every class across the entry points) and an
// import opens a few files, not a hundred (Node's ES module loader spends most of a cold import per file).
// The declarations are copied as tsc wrote them; packages stay imports of the app's own copies.
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = join(root, 'build');
const dist = join(root, 'dist');

/** Every entry point of package.json's exports, and the two commands of bin/. */
const ENTRIES = ['index', 'testing/index', 'terminus/index', 'swagger/index', 'auth/index', 'dto/index'];
const COMMANDS = ['cli/genauth-mfa', 'testing/cli'];

rmSync(dist, { recursive: true, force: true });
const bundle = await rolldown({
  input: Object.fromEntries([...ENTRIES, ...COMMANDS].map((name) => [name, join(build, `${name}.js`)])),
  platform: 'node',
  external: (id) => !id.startsWith('.') && !isAbsolute(id),
  logLevel: 'warn',
});
await bundle.write({
  dir: dist,
  format: 'esm',
  entryFileNames: '[name].js',
  chunkFileNames: 'chunks/[name]-[hash].js',
  // Nest and the error classes read class names (new.target.name, injection errors).
  keepNames: true,
});
await bundle.close();

for (const entry of readdirSync(build, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.d.ts')) continue;
  const from = join(entry.parentPath, entry.name);
  cpSync(from, join(dist, from.slice(build.length + 1)));
}
