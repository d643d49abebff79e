import { importOptional } from '../util/optional-import.js';
import type { EmulatorChange } from './emulator-route-context.js';
import type { EmulatorSeed } from './emulator-seed.js';
import type { EmulatorWebhookTarget } from './emulator-webhooks.js';

/** Options of {@link GenAuthEmulator}. */
export interface GenAuthEmulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Users, applications and credentials; validated (a bad seed throws {@link EmulatorSeedError}). */
  seed?: EmulatorSeed;
  /** Allowed distance between a request's `date` and the emulator's clock, in ms. Default 15 minutes. */
  maxSkewMs?: number;
  /** Lifetime of management tokens, in seconds. Default 7200. */
  tokenTtlSeconds?: number;
  /** How get-user-mfa-info reports bindings: booleans (default, as the samples) or `'enabled'`/`'disabled'`. */
  mfaInfoFormat?: 'boolean' | 'string';
  /** Lifetime of the user tokens `signin` issues, in seconds. Default 3600. */
  userTokenTtlSeconds?: number;
  /**
   * How `mfa-totp-verify` answers a wrong code, since GenAuth's sources disagree: `'verified-false'`
   * (default: `data.verified` false) or `'error'` (apiCode 6001).
   */
  wrongTotpAnswer?: 'verified-false' | 'error';
  /** Where to send webhooks when a user's state changes (more with `addWebhook`). */
  webhooks?: EmulatorWebhookTarget[];
  /** The user pool's id, sent as `x-authing-userpool-id` with webhooks. Default: the first access key id. */
  userPoolId?: string;
  /**
   * Hears of every code `send-sms` / `send-email` "sends" (the emulator sends nothing): `genauth-emulator`
   * prints them, as a mail catcher would. Tests read them with `codeSentTo` too.
   */
  onCodeSent?: (sent: EmulatorSentCode) => void;
  /**
   * The relying party of passkeys (WebAuthn): its id (default `localhost`; a browser refuses an IP address)
   * and the page origins accepted (default every https origin on the id or under it, and
   * `http://localhost:<any port>`).
   */
  webauthn?: { rpId?: string; rpName?: string; origins?: string[] };
}

/** A code the emulator would have sent by SMS or e-mail. */
export interface EmulatorSentCode {
  readonly by: 'SMS' | 'EMAIL';
  readonly to: string;
  readonly channel: string;
  readonly code: string;
}

/** A change on the user side, as {@link GenAuthEmulator.onUserChange} reports it. */
export interface EmulatorUserChange {
  readonly userId: string;
  readonly change: EmulatorChange;
}

/** A QR code as a PNG data URL, when the optional `qrcode` package is installed; else empty. */
export async function qrDataUrl(uri: string): Promise<string> {
  const qrcode = await importOptional<{
    toDataURL?: (text: string) => Promise<string>;
    default?: { toDataURL: (text: string) => Promise<string> };
  }>('qrcode');
  const toDataURL = qrcode?.toDataURL ?? qrcode?.default?.toDataURL;
  return toDataURL ? toDataURL(uri) : '';
}
