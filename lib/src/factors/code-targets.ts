import type { GenAuthCallSite } from '../errors/genauth.errors.js';
import { GenAuthInvalidResponseError } from '../errors/genauth.errors.js';
import type { MfaEnrolledFactor } from './factor.types.js';

/** The channel GenAuth sends step-up codes on (its `CHANNEL_VERIFY_MFA`, for SMS and e-mail alike). */
const CHANNEL = 'CHANNEL_VERIFY_MFA';

/** Where a code goes: the phone or address the user bound, never one a request names. */
export interface CodeTarget {
  readonly factor: 'SMS' | 'EMAIL';
  readonly address: string;
  readonly countryCode?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The bound target of a factor, from `list-enrolled-factors`; undefined when not bound (or bound to nothing). */
export function targetOf(factors: readonly MfaEnrolledFactor[], factor: 'SMS' | 'EMAIL'): CodeTarget | undefined {
  for (const bound of factors) {
    if (bound.factor !== factor) continue;
    const address = text(factor === 'SMS' ? bound.profile['phoneNumber'] : bound.profile['email']);
    const countryCode = factor === 'SMS' ? text(bound.profile['phoneCountryCode']) : undefined;
    if (address) return { factor, address, ...(countryCode ? { countryCode } : {}) };
  }
  return undefined;
}

/** The body of `send-sms` / `send-email`. */
export function sendBody(target: CodeTarget): Record<string, unknown> {
  if (target.factor === 'EMAIL') return { email: target.address, channel: CHANNEL };
  const country = target.countryCode ? { phoneCountryCode: target.countryCode } : {};
  return { phoneNumber: target.address, channel: CHANNEL, ...country };
}

/** The body of `pre-check-code`. */
export function checkBody(target: CodeTarget, code: string): Record<string, unknown> {
  if (target.factor === 'EMAIL') {
    return { codeType: 'EMAIL', emailCodePayload: { email: target.address, passCode: code, channel: CHANNEL } };
  }
  const country = target.countryCode ? { phoneCountryCode: target.countryCode } : {};
  return { codeType: 'SMS', smsCodePayload: { phone: target.address, passCode: code, channel: CHANNEL, ...country } };
}

/** `pre-check-code`'s answer: `{ isValid }`; anything else is an invalid answer, never a right code. */
export function codeIsValid(site: GenAuthCallSite, data: unknown): boolean {
  const isValid = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)['isValid'] : undefined;
  if (typeof isValid !== 'boolean') throw new GenAuthInvalidResponseError(site, 'data.isValid must be a boolean');
  return isValid;
}

/** What the user is shown of the target: enough to recognise it, not enough to learn it. */
export function masked(target: CodeTarget): string {
  if (target.factor === 'SMS') return `•••• ${target.address.slice(-4)}`;
  const at = target.address.lastIndexOf('@');
  return at > 0 ? `${target.address[0]}•••${target.address.slice(at)}` : '•••';
}
