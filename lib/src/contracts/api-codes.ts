/**
 * GenAuth's `apiCode`s that the library acts on (docs/wire-protocol.md), plus 1310, the emulator's own
 * code for a rejected management token. An `apiCode` travels in the body of an answer whose HTTP status is
 * usually 200; `GenAuthApiError.apiCode` carries it.
 */
export const GENAUTH_API_CODES = Object.freeze({
  BAD_SIGNATURE: 1300,
  BAD_SIGNATURE_METHOD: 1301,
  BAD_SIGNATURE_VERSION: 1302,
  UNPARSABLE_DATE: 1303,
  MISSING_DATE: 1304,
  DATE_SKEW: 1305,
  NONCE_REPLAYED: 1306,
  TOKEN_REJECTED: 1310,
  USER_NOT_FOUND: 2004,
  APP_NOT_FOUND: 2011,
  USER_POOL_NOT_FOUND: 2224,
} as const);

/** Whether an `apiCode` says GenAuth refused this app's key or signature (1300-1306): a configuration error. */
export function isCredentialApiCode(apiCode: number | undefined): boolean {
  return apiCode !== undefined && apiCode >= 1300 && apiCode <= 1306;
}
