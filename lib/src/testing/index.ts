export { GenAuthEmulator } from './genauth-emulator.js';
export type { EmulatorSentCode, EmulatorUserChange, GenAuthEmulatorOptions } from './emulator-options.js';
export type { EmulatorChange } from './emulator-route-context.js';
export { totpCode } from './emulator-totp.js';
export {
  SoftwareAuthenticator,
  type PasskeyAuthenticationJSON,
  type PasskeyCreationOptionsJSON,
  type PasskeyDescriptorJSON,
  type PasskeyRegistrationJSON,
  type PasskeyRequestOptionsJSON,
} from './software-authenticator.js';
export { USER_API_CODES } from './emulator-user-side.js';
// The seed's format: its types and its parser.
export * from './emulator-seed.js';
export type { EmulatorEndpoint, EmulatorFault } from './emulator-faults.js';
export { API_CODES } from './emulator-auth.js';
export { DEMO_PASSWORD, DEMO_SEED, DEMO_TOTP_SECRET } from './demo-seed.js';
export { EmulatorSeedError } from '../errors/emulator-seed.error.js';
export type { EmulatorWebhookDelivery, EmulatorWebhookTarget } from './emulator-webhooks.js';
export { EmulatorControls } from './emulator-controls.js';
