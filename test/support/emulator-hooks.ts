import { afterAll, afterEach, beforeAll } from 'vitest';
import type { GenAuthEmulator, GenAuthEmulatorOptions } from 'nestjs-genauth-mfa/testing';
import { startEmulator } from './emulator-app.js';

/**
 * An emulator for the enclosing suite: started before it, stopped after it, its faults and request
 * counts cleared after each test. Call the returned function inside tests and hooks.
 */
export function useEmulator(options?: GenAuthEmulatorOptions): () => GenAuthEmulator {
  let emulator: GenAuthEmulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator(options);
  });
  afterEach(() => {
    emulator?.clearFaults();
    emulator?.resetCounts();
  });
  afterAll(async () => {
    await emulator?.stop();
  });
  return () => {
    if (!emulator) throw new Error('the emulator is not started yet: call this inside a test or a hook');
    return emulator;
  };
}
