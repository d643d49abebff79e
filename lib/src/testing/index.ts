export { GenAuthEmulator, type GenAuthEmulatorOptions } from './genauth-emulator.js';
// The seed's format: its types and its parser.
export * from './emulator-seed.js';
export type { EmulatorEndpoint, EmulatorFault } from './emulator-faults.js';
export { API_CODES } from './emulator-auth.js';
export { DEMO_SEED } from './demo-seed.js';
export { EmulatorSeedError } from '../errors/emulator-seed.error.js';
