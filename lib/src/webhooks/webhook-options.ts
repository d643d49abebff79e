import type { ModuleMetadata } from '@nestjs/common';
import { MfaOptionsError } from '../errors/mfa-options.error.js';

/** What the receiver checks and how much it holds. */
export interface MfaWebhookOptions {
  /** The secret configured on the webhook in GenAuth's console; requests without it get 401. At least 16 characters. */
  secret: string;
  /** The user pool's id: when set, a request naming another pool (`x-authing-userpool-id`) gets 403. */
  userPoolId?: string;
  /** Largest body accepted, in bytes (413 above it). Default 65,536; 1,024 to 1,048,576. */
  maxBodyBytes?: number;
  /** Most users waiting to be dropped; past it every binding is dropped once instead. Default 10,000. */
  maxPending?: number;
  /** `'record'` (default): `mfa:verified` with `isValid: true` records a per-user verification; `'ignore'`. */
  mfaVerified?: 'record' | 'ignore';
}

/** Options of `MfaWebhookModule.forRoot`. */
export interface MfaWebhookModuleOptions extends MfaWebhookOptions {
  /** The receiver's path. Default `genauth/webhook` (so `POST /genauth/webhook`). */
  path?: string;
}

/** Options of `MfaWebhookModule.forRootAsync`: the path is needed when the module is declared, the rest may wait. */
export interface MfaWebhookModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  path?: string;
  inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
  useFactory: (...args: never[]) => MfaWebhookOptions | Promise<MfaWebhookOptions>;
}

/** The receiver's settings, checked. @internal */
export interface MfaWebhookSettings {
  readonly secret: string;
  readonly userPoolId: string | undefined;
  readonly maxBodyBytes: number;
  readonly maxPending: number;
  readonly recordVerified: boolean;
}

/** @internal */
export const MFA_WEBHOOK_SETTINGS = Symbol('MFA_WEBHOOK_SETTINGS');

function whole(value: unknown, option: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new MfaOptionsError(option, `it must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** The path, checked: letters, digits and `/ - _ .`, no `..`. */
export function webhookPath(path: unknown): string {
  if (path === undefined) return 'genauth/webhook';
  if (typeof path !== 'string' || !/^\/?[A-Za-z0-9_.\-/]{1,200}$/.test(path) || path.includes('..')) {
    throw new MfaOptionsError('webhooks.path', 'it must be a path such as genauth/webhook');
  }
  return path;
}

/** Checks the receiver's options; a bad one stops start-up with a message that names it. */
export function webhookSettings(value: unknown): MfaWebhookSettings {
  if (value === null || typeof value !== 'object') throw new MfaOptionsError('webhooks', 'it must be an object');
  const options = value as MfaWebhookOptions;
  if (typeof options.secret !== 'string' || options.secret.length < 16) {
    throw new MfaOptionsError('webhooks.secret', 'it must be the webhook secret, at least 16 characters');
  }
  if (options.userPoolId !== undefined && (typeof options.userPoolId !== 'string' || options.userPoolId === '')) {
    throw new MfaOptionsError('webhooks.userPoolId', 'it must be the user pool id');
  }
  if (options.mfaVerified !== undefined && options.mfaVerified !== 'record' && options.mfaVerified !== 'ignore') {
    throw new MfaOptionsError('webhooks.mfaVerified', "it must be 'record' or 'ignore'");
  }
  return {
    secret: options.secret,
    userPoolId: options.userPoolId,
    maxBodyBytes: whole(options.maxBodyBytes, 'webhooks.maxBodyBytes', 65_536, 1024, 1_048_576),
    maxPending: whole(options.maxPending, 'webhooks.maxPending', 10_000, 1, 1_000_000),
    recordVerified: options.mfaVerified !== 'ignore',
  };
}
