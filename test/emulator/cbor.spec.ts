import { describe, expect, it } from 'vitest';
import { CborError, decodeCbor, encodeCbor, type CborValue } from '../../lib/src/testing/cbor.js';

const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

describe("the emulator's CBOR (what WebAuthn uses of RFC 8949)", () => {
  it("reads RFC 8949 Appendix A's examples of the types WebAuthn uses", () => {
    expect(decodeCbor(hex('17'))).toBe(23);
    expect(decodeCbor(hex('1818'))).toBe(24);
    expect(decodeCbor(hex('1903e8'))).toBe(1000);
    expect(decodeCbor(hex('1a000f4240'))).toBe(1_000_000);
    expect(decodeCbor(hex('3863'))).toBe(-100);
    expect(decodeCbor(hex('6449455446'))).toBe('IETF');
    expect(decodeCbor(hex('4401020304'))).toEqual(hex('01020304'));
    expect(decodeCbor(hex('83010203'))).toEqual([1, 2, 3]);
    expect(decodeCbor(hex('a201020304'))).toEqual(
      new Map([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(decodeCbor(hex('f4'))).toBe(false);
    expect(decodeCbor(hex('f6'))).toBe(null);
  });

  it('writes what it reads: a COSE key and an attestation object survive the round trip', () => {
    const value: CborValue = new Map<CborValue, CborValue>([
      ['fmt', 'none'],
      ['attStmt', new Map()],
      ['authData', Uint8Array.from({ length: 300 }, (_, i) => i % 256)],
      [-2, -70_000],
      [3, [true, null, 'π']],
    ]);
    expect(decodeCbor(encodeCbor(value))).toEqual(value);
    expect(
      Buffer.from(
        encodeCbor(
          new Map([
            [1, 2],
            [3, 4],
          ]),
        ),
      ).toString('hex'),
    ).toBe('a201020304');
  });

  it('refuses what WebAuthn does not use or a hostile input would send, with a CborError', () => {
    for (const bad of [
      '9f01ff',
      'bf01ff',
      'c11a514b67b0',
      '1b0000000000000001',
      '6449',
      '830102',
      'a20102',
      '0102',
      'a201020103',
    ]) {
      expect(() => decodeCbor(hex(bad)), bad).toThrow(CborError);
    }
    const deep = hex('81'.repeat(40) + '01');
    expect(() => decodeCbor(deep)).toThrow(/too deep/);
    expect(() => decodeCbor(hex('62c328'))).toThrow(/not UTF-8/);
  });
});
