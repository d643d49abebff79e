import { fromWireName, parseFactor, type MfaFactor } from '../contracts/mfa-factor.js';
import { GenAuthInvalidResponseError, type GenAuthCallSite } from '../errors/genauth.errors.js';
import type { MfaEnrolledFactor } from './factor.types.js';

// GenAuth's answers, checked before use: anything of another shape is an invalid answer, never a guess.

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function invalid(site: GenAuthCallSite, detail: string): never {
  throw new GenAuthInvalidResponseError(site, detail);
}

/** A factor type of the wire (`OTP`, `SMS`, ...) in the library's names; other kinds (PASSKEY) are skipped. */
function factorOf(type: unknown): MfaFactor | undefined {
  return typeof type === 'string' ? parseFactor(fromWireName(type)) : undefined;
}

export function enrolledFactors(site: GenAuthCallSite, data: unknown): MfaEnrolledFactor[] {
  // Some generated samples give one object where a list is meant: read it as a list of one.
  const list = isRecord(data) ? [data] : data;
  if (!Array.isArray(list)) invalid(site, 'data must be a list of factors');
  const factors: MfaEnrolledFactor[] = [];
  for (const entry of list) {
    if (!isRecord(entry) || typeof entry['factorId'] !== 'string' || typeof entry['factorType'] !== 'string') {
      invalid(site, 'each factor needs a factorId and a factorType');
    }
    const factor = factorOf(entry['factorType']);
    if (factor)
      factors.push({
        factorId: entry['factorId'],
        factor,
        profile: isRecord(entry['profile']) ? entry['profile'] : {},
      });
  }
  return factors;
}

export function factorsToEnroll(site: GenAuthCallSite, data: unknown): MfaFactor[] {
  if (!Array.isArray(data)) invalid(site, 'data must be a list');
  return data
    .map((entry) => (isRecord(entry) ? factorOf(entry['factorType']) : undefined))
    .filter((f): f is MfaFactor => !!f);
}

export function enrollmentStarted(
  site: GenAuthCallSite,
  data: unknown,
  totp: boolean,
): { enrollmentToken: string; totp?: { uri: string; secret: string; qrCodeDataUrl: string } } {
  if (!isRecord(data) || typeof data['enrollmentToken'] !== 'string' || data['enrollmentToken'] === '') {
    invalid(site, 'data.enrollmentToken must be a non-empty string');
  }
  if (!totp) return { enrollmentToken: data['enrollmentToken'] };
  const otp = data['otpData'];
  const uri = isRecord(otp) ? otp['qrCodeUri'] : undefined;
  const secret =
    typeof uri === 'string' && uri.startsWith('otpauth://totp/') && URL.canParse(uri)
      ? new URL(uri).searchParams.get('secret')
      : null;
  if (!secret || !/^[A-Z2-7]+=*$/i.test(secret))
    invalid(site, 'data.otpData.qrCodeUri must be an otpauth://totp/ URI with a secret');
  const qr = isRecord(otp) && typeof otp['qrCodeDataUrl'] === 'string' ? otp['qrCodeDataUrl'] : '';
  return {
    enrollmentToken: data['enrollmentToken'],
    totp: { uri: uri as string, secret, qrCodeDataUrl: qr.startsWith('data:image/') ? qr : '' },
  };
}

/** `mfa-totp-verify`'s answer: `{ verified }`. */
export function verified(site: GenAuthCallSite, data: unknown): boolean {
  if (!isRecord(data) || typeof data['verified'] !== 'boolean') invalid(site, 'data.verified must be a boolean');
  return data['verified'];
}
