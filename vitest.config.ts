import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./lib/src/${path}`, import.meta.url));

// SWC, unlike esbuild, emits the decorator metadata Nest's injection needs in test fixtures.
const plugins = [
  swc.vite({
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
    },
  }),
];

// The suites that test the package as it ships (its entry points, its declarations) read lib/dist.
const DIST_SUITES = ['test/built-package.spec.ts', 'test/public-api.spec.ts'];

const shared = {
  testTimeout: 20_000,
  hookTimeout: 20_000,
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    projects: [
      {
        plugins,
        // Every other suite runs the library's sources: `npx vitest run --project src` needs no build.
        // (Child processes a suite starts, such as Redis replicas, still import the built package.)
        resolve: {
          alias: [
            { find: /^nestjs-genauth-mfa$/, replacement: src('index.ts') },
            { find: /^nestjs-genauth-mfa\/(testing|terminus|swagger|auth|dto)$/, replacement: src('$1/index.ts') },
          ],
        },
        test: {
          ...shared,
          name: 'src',
          include: ['test/**/*.spec.ts'],
          // The consumer apps' own tests run inside those apps, with their own runners (npm run test:consumers).
          exclude: ['test/consumers/**', '**/node_modules/**', ...DIST_SUITES],
        },
      },
      { plugins, test: { ...shared, name: 'dist', include: DIST_SUITES } },
    ],
  },
});
