import { parseFactor, type MfaFactor } from '../contracts/mfa-factor.js';
import type { MfaTriggerData, SetFactorBoundArgs } from './mfa-management.types.js';

/** What a factor change writes into the trigger data, or what is wrong with the arguments. */
export type FactorChange =
  | { readonly ok: true; readonly factor: MfaFactor; readonly patch: Partial<MfaTriggerData> }
  | { readonly ok: false; readonly field: string; readonly detail: string };

const fail = (field: string, detail: string): FactorChange => ({ ok: false, field, detail });

/**
 * The trigger-data fields that bind or unbind one factor (GenAuth's model: TOTP and FACE are flags, SMS
 * is bound to `mfaPhone`, EMAIL to `mfaEmail`), given what the user has now. An SMS or EMAIL binding
 * takes the given `phone`/`email`, else the one already bound (for SMS also the user's own phone).
 */
export function factorChange(args: SetFactorBoundArgs, current: MfaTriggerData): FactorChange {
  const factor = parseFactor(args.factor);
  if (!factor) return fail('factor', 'factor must be one of EMAIL, SMS, TOTP (or OTP), FACE');
  if (typeof args.bound !== 'boolean') return fail('bound', 'bound must be true or false');
  const { bound } = args;
  switch (factor) {
    case 'TOTP':
      return { ok: true, factor, patch: { totpMfaEnabled: bound } };
    case 'FACE':
      return { ok: true, factor, patch: { faceMfaEnabled: bound } };
    case 'SMS': {
      if (!bound) return { ok: true, factor, patch: { mfaPhone: null, mfaPhoneCountryCode: null } };
      const phone = args.phone ?? current.mfaPhone ?? current.phone;
      if (typeof phone !== 'string' || !/^\+?\d{5,20}$/.test(phone)) {
        return fail('phone', 'binding SMS needs a phone number (digits, optionally with +): give phone');
      }
      const countryCode = args.phoneCountryCode ?? current.mfaPhoneCountryCode ?? current.phoneCountryCode ?? null;
      return { ok: true, factor, patch: { mfaPhone: phone, mfaPhoneCountryCode: countryCode } };
    }
    case 'EMAIL': {
      if (!bound) return { ok: true, factor, patch: { mfaEmail: null } };
      const email = args.email ?? current.mfaEmail;
      if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 320) {
        return fail('email', 'binding EMAIL needs an e-mail address: give email');
      }
      return { ok: true, factor, patch: { mfaEmail: email } };
    }
  }
}
