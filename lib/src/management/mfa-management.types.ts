import type { MfaFactor, MfaFactorName } from '../contracts/mfa-factor.js';
import type { MfaUserRef } from '../contracts/user-ref.js';

/** Arguments of `getMfaTriggerData`. */
export interface GetMfaTriggerDataArgs extends MfaUserRef {
  /** The application; the module's `appId` when omitted. */
  appId?: string;
}

/** A factor of an application, as `applicationMfa` lists it. */
export interface ApplicationMfa {
  /** `EMAIL`, `SMS`, `TOTP` (the wire's `OTP`), `FACE`, or a newer kind such as `PASSKEY`. */
  mfaPolicy: MfaFactor | 'OTP' | (string & {});
  /** 1 enabled, 0 disabled. */
  status: number;
  /** Preferred order, ascending. */
  sort?: number;
}

/** A user's MFA trigger data. */
export interface MfaTriggerData {
  /** Short-lived token for the MFA verify endpoints. Treat it as a secret. */
  mfaToken: string;
  /** The application's factors, always a list. */
  applicationMfa: ApplicationMfa[];
  mfaPhone?: string | null;
  mfaPhoneCountryCode?: string | null;
  mfaEmail?: string | null;
  nickname?: string | null;
  username?: string | null;
  phone?: string | null;
  phoneCountryCode?: string | null;
  faceMfaEnabled?: boolean | null;
  totpMfaEnabled?: boolean | null;
}

/** Arguments of `setUsersMfaStatus`. */
export interface SetUsersMfaStatusArgs extends MfaUserRef {
  /** The trigger data to store. `TOTP` is sent as `OTP`. */
  mfaTriggerData: MfaTriggerData;
}

/** A user's MFA binding info: GenAuth's fields as received, and which factors are bound. */
export interface UserMfaInfo {
  /** As received: `true`/`'enabled'` bound, anything else not. */
  totpStatus: boolean | string;
  faceMfaStatus: boolean | string;
  smsMfaStatus: boolean | string;
  emailMfaStatus: boolean | string;
  /** Per factor, whether it is bound. */
  bound: Readonly<Record<MfaFactor, boolean>>;
  /** The bound factors, in the order EMAIL, SMS, TOTP, FACE. */
  boundFactors: readonly MfaFactor[];
}

/** Arguments of `setFactorBound`: one factor of one user, on or off. */
export interface SetFactorBoundArgs extends MfaUserRef {
  /** The factor: `EMAIL`, `SMS`, `TOTP` (or `OTP`), `FACE`. */
  factor: MfaFactorName;
  /** `true` binds it, `false` unbinds it. */
  bound: boolean;
  /** For SMS: the phone to bind (digits, optionally with `+`); default the one bound now, else the user's. */
  phone?: string;
  /** For SMS: the phone's country code (`+86`). */
  phoneCountryCode?: string;
  /** For EMAIL: the address to bind; default the one bound now. */
  email?: string;
}

/** The result of `setUsersMfaStatus`. */
export interface SetMfaStatusResult {
  /** Whether GenAuth stored the data. */
  success: boolean;
}

/** Arguments of `listUsers`: one page of the user pool, oldest users first. */
export interface ListUsersArgs {
  /** The page, from 1. */
  page: number;
  /** Users per page, 1 to 50 (GenAuth's maximum). Default 50. */
  limit?: number;
}

/** A user of a list-users page: the fields an audit reads. */
export interface ListedUser {
  userId: string;
  username: string | null;
  email: string | null;
  phone: string | null;
  /** When the user last did MFA (ISO 8601), or null when never. */
  lastMfaTime: string | null;
}

/** One page of the user pool. */
export interface UserPage {
  /** Users in the pool (as GenAuth counts them now). */
  totalCount: number;
  list: ListedUser[];
}
