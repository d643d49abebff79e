// Written by scripts/write-version.mjs from package.json at each build: do not edit.

/** The library's version, from its package.json (the meter's version too). */
export const LIBRARY_VERSION = '1.0.0';
/** Product string sent as the SDK version header. */
export const SDK_VERSION = `nestjs-genauth-mfa:${LIBRARY_VERSION}`;
