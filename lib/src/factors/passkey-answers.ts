import { GenAuthInvalidResponseError, type GenAuthCallSite } from '../errors/genauth.errors.js';
import { MfaFactorRequestRejectedException } from './factor.exceptions.js';
import type { MfaPasskeyCeremony, MfaPasskeyProof } from './factor.types.js';

// What goes to GenAuth's WebAuthn endpoints, and what comes back, checked: the options go to a browser, a
// "verified" is read only from `verified: true`.

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const isBase64url = (value: unknown): value is string => typeof value === 'string' && BASE64URL.test(value);

/** The ceremony GenAuth started: a ticket, and options with a base64url challenge (creation: rp, user, algorithms). */
export function ceremonyOf(
  site: GenAuthCallSite,
  data: unknown,
  kind: 'registrationOptions' | 'authenticationOptions',
): MfaPasskeyCeremony {
  const options = isRecord(data) ? data[kind] : undefined;
  if (!isRecord(data) || typeof data['ticket'] !== 'string' || data['ticket'] === '') {
    throw new GenAuthInvalidResponseError(site, 'data.ticket must be a non-empty string');
  }
  if (!isRecord(options) || !isBase64url(options['challenge'])) {
    throw new GenAuthInvalidResponseError(site, `data.${kind}.challenge must be a base64url string`);
  }
  if (kind === 'registrationOptions') {
    const user = options['user'];
    if (
      !isRecord(options['rp']) ||
      !isRecord(user) ||
      !isBase64url(user['id']) ||
      !Array.isArray(options['pubKeyCredParams'])
    ) {
      throw new GenAuthInvalidResponseError(site, 'data.registrationOptions needs rp, user.id and pubKeyCredParams');
    }
  }
  return { ticket: data['ticket'], options };
}

/** Checks the browser's answer before it is sent on: a ticket, and a public-key credential in WebAuthn's JSON. */
export function checkProof(proof: unknown, kind: 'registration' | 'authentication'): MfaPasskeyProof {
  const reject = (message: string, field: string) => new MfaFactorRequestRejectedException(message, field);
  if (!isRecord(proof) || typeof proof['ticket'] !== 'string' || proof['ticket'] === '') {
    throw reject('ticket is required (the one the options came with)', 'ticket');
  }
  const credential = proof['credential'];
  const response = isRecord(credential) ? credential['response'] : undefined;
  if (
    !isRecord(credential) ||
    credential['type'] !== 'public-key' ||
    !isBase64url(credential['id']) ||
    credential['rawId'] !== credential['id'] ||
    !isRecord(response) ||
    !isBase64url(response['clientDataJSON'])
  ) {
    throw reject('credential must be a public-key credential in WebAuthn JSON (id, rawId, response)', 'credential');
  }
  const fields = kind === 'registration' ? ['attestationObject'] : ['authenticatorData', 'signature'];
  for (const field of fields) {
    if (!isBase64url(response[field])) throw reject(`credential.response.${field} must be base64url`, 'credential');
  }
  return { ticket: proof['ticket'], credential };
}

/** A registration GenAuth took: `success: true` (anything else is not a registered passkey). */
export function registered(site: GenAuthCallSite, data: unknown): boolean {
  if (!isRecord(data) || typeof data['success'] !== 'boolean') {
    throw new GenAuthInvalidResponseError(site, 'data.success must be a boolean');
  }
  return data['success'];
}

/** An assertion GenAuth checked: `verified: true` is right, `false` wrong, anything else invalid. */
export function assertionVerified(site: GenAuthCallSite, data: unknown): boolean {
  if (!isRecord(data) || typeof data['verified'] !== 'boolean') {
    throw new GenAuthInvalidResponseError(site, 'data.verified must be a boolean');
  }
  return data['verified'];
}
