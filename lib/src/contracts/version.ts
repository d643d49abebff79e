import { readFileSync } from 'node:fs';

// The package's own package.json, two folders up from this file in src/ and in dist/ alike: the version is
// read, never written by hand, so that it cannot drift from what npm publishes.
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The library's version, from its package.json (the meter's version too). */
export const LIBRARY_VERSION = packageVersion();
/** Product string sent as the SDK version header. */
export const SDK_VERSION = `nestjs-genauth-mfa:${LIBRARY_VERSION}`;
