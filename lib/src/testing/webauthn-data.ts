import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { CborError, decodeCborPrefix, type CborValue } from './cbor.js';

/** The flags of authenticator data (WebAuthn §6.1): user present, user verified, attested data, extensions. */
export const FLAG = { UP: 0x01, UV: 0x04, AT: 0x40, ED: 0x80 } as const;

/** COSE (RFC 9053) labels of an EC2 P-256 key for ES256, the one algorithm the emulator offers. */
export const COSE = { KTY: 1, ALG: 3, CRV: -1, X: -2, Y: -3, EC2: 2, ES256: -7, P256: 1 } as const;

/** Authenticator data, read. */
export interface AuthenticatorData {
  readonly rpIdHash: Buffer;
  readonly flags: number;
  readonly signCount: number;
  /** Present when the AT flag is set (registration): the new credential's id and public key. */
  readonly credential?: { readonly id: Buffer; readonly publicKey: KeyObject };
}

/** SHA-256 of a string or bytes. */
export function sha256(data: string | Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Reads authenticator data; throws a `CborError` (a malformed credential) on anything it cannot read. */
export function parseAuthenticatorData(bytes: Buffer): AuthenticatorData {
  if (bytes.length < 37) throw new CborError('authenticator data is shorter than 37 bytes');
  const rpIdHash = bytes.subarray(0, 32);
  const flags = bytes[32]!;
  const signCount = bytes.readUInt32BE(33);
  if ((flags & FLAG.AT) === 0) {
    if ((flags & FLAG.ED) === 0 && bytes.length !== 37) throw new CborError('authenticator data has trailing bytes');
    return { rpIdHash, flags, signCount };
  }
  if (bytes.length < 55) throw new CborError('attested credential data is cut short');
  const idLength = bytes.readUInt16BE(53);
  const id = bytes.subarray(55, 55 + idLength);
  if (id.length !== idLength) throw new CborError('the credential id runs past the end');
  const key = decodeCborPrefix(bytes.subarray(55 + idLength));
  if ((flags & FLAG.ED) === 0 && 55 + idLength + key.end !== bytes.length) {
    throw new CborError('authenticator data has trailing bytes');
  }
  return { rpIdHash, flags, signCount, credential: { id, publicKey: es256Key(key.value) } };
}

/** The public key of a COSE EC2 P-256 ES256 key; anything else is refused. */
export function es256Key(cose: CborValue): KeyObject {
  if (!(cose instanceof Map)) throw new CborError('the credential public key is not a COSE map');
  const x = cose.get(COSE.X);
  const y = cose.get(COSE.Y);
  if (cose.get(COSE.KTY) !== COSE.EC2 || cose.get(COSE.ALG) !== COSE.ES256 || cose.get(COSE.CRV) !== COSE.P256) {
    throw new CborError('the credential public key is not ES256 on P-256 (the only algorithm offered)');
  }
  if (!(x instanceof Uint8Array) || !(y instanceof Uint8Array) || x.length !== 32 || y.length !== 32) {
    throw new CborError('the credential public key has no 32-byte x and y');
  }
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    x: Buffer.from(x).toString('base64url'),
    y: Buffer.from(y).toString('base64url'),
  };
  try {
    return createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    throw new CborError('the credential public key is not a point of P-256');
  }
}
