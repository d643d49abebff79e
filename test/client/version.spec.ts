import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIBRARY_VERSION, SDK_VERSION } from '../../lib/src/contracts/version.js';

describe('the library version', () => {
  it("is package.json's, as the build writes it (sent as the SDK version header)", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'lib', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(LIBRARY_VERSION).toBe(pkg.version);
    expect(SDK_VERSION).toBe(`nestjs-genauth-mfa:${pkg.version}`);
  });
});
