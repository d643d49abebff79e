/**
 * The part of CBOR (RFC 8949) that WebAuthn uses: unsigned and negative integers, byte and text strings,
 * arrays, maps, booleans and null, definite lengths only (CTAP2's canonical form has no others).
 */
export type CborValue = number | Uint8Array | string | boolean | null | CborValue[] | Map<CborValue, CborValue>;

/** A CBOR item that this decoder cannot read: the emulator answers it as a malformed credential. */
export class CborError extends Error {}

/** Decodes one item that fills `bytes` exactly. */
export function decodeCbor(bytes: Uint8Array): CborValue {
  const [value, end] = decodeAt(bytes, 0, 0);
  if (end !== bytes.length) throw new CborError(`${bytes.length - end} bytes after the CBOR item`);
  return value;
}

/** Decodes the first item of `bytes` and says where it ends (authenticator data carries a key, then more). */
export function decodeCborPrefix(bytes: Uint8Array): { value: CborValue; end: number } {
  const [value, end] = decodeAt(bytes, 0, 0);
  return { value, end };
}

const MAX_DEPTH = 16;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeAt(bytes: Uint8Array, at: number, depth: number): [CborValue, number] {
  if (depth > MAX_DEPTH) throw new CborError('CBOR nested too deep');
  if (at >= bytes.length) throw new CborError('CBOR ends early');
  const head = bytes[at]!;
  const major = head >> 5;
  const [argument, next] = readArgument(bytes, at, head & 31);
  switch (major) {
    case 0:
      return [argument, next];
    case 1:
      return [-1 - argument, next];
    case 2:
    case 3: {
      const end = next + argument;
      if (end > bytes.length) throw new CborError('CBOR string runs past the end');
      const slice = bytes.subarray(next, end);
      if (major === 2) return [Uint8Array.from(slice), end];
      try {
        return [UTF8.decode(slice), end];
      } catch {
        throw new CborError('CBOR text is not UTF-8');
      }
    }
    case 4: {
      const items: CborValue[] = [];
      let cursor = next;
      for (let i = 0; i < argument; i += 1) {
        const [item, after] = decodeAt(bytes, cursor, depth + 1);
        items.push(item);
        cursor = after;
      }
      return [items, cursor];
    }
    case 5: {
      const map = new Map<CborValue, CborValue>();
      let cursor = next;
      for (let i = 0; i < argument; i += 1) {
        const [key, afterKey] = decodeAt(bytes, cursor, depth + 1);
        const [item, after] = decodeAt(bytes, afterKey, depth + 1);
        if (map.has(key)) throw new CborError('CBOR map repeats a key');
        map.set(key, item);
        cursor = after;
      }
      return [map, cursor];
    }
    case 7:
      if ((head & 31) === 20) return [false, next];
      if ((head & 31) === 21) return [true, next];
      if ((head & 31) === 22) return [null, next];
      throw new CborError(`CBOR simple value ${head & 31} is not read here`);
    default:
      throw new CborError(`CBOR major type ${major} (tags) is not read here`);
  }
}

/** The head's argument: in the low bits up to 23, else in the next 1, 2 or 4 bytes (8 would pass 2^53). */
function readArgument(bytes: Uint8Array, at: number, low: number): [number, number] {
  const size = low < 24 ? 0 : low === 24 ? 1 : low === 25 ? 2 : low === 26 ? 4 : -1;
  if (size < 0) throw new CborError('CBOR indefinite or 8-byte lengths are not read here');
  if (size === 0) return [low, at + 1];
  if (at + 1 + size > bytes.length) throw new CborError('CBOR ends early');
  let value = 0;
  for (let i = 1; i <= size; i += 1) value = value * 256 + bytes[at + i]!;
  return [value, at + 1 + size];
}

/** Encodes an item (maps in their insertion order, as CTAP2 authenticators write them). */
export function encodeCbor(value: CborValue): Uint8Array {
  const parts: Uint8Array[] = [];
  encodeInto(value, parts);
  return Buffer.concat(parts);
}

function encodeInto(value: CborValue, parts: Uint8Array[]): void {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new CborError('only integers are encoded here');
    parts.push(value >= 0 ? headOf(0, value) : headOf(1, -1 - value));
  } else if (typeof value === 'string') {
    const text = Buffer.from(value, 'utf8');
    parts.push(headOf(3, text.length), text);
  } else if (value instanceof Uint8Array) {
    parts.push(headOf(2, value.length), value);
  } else if (Array.isArray(value)) {
    parts.push(headOf(4, value.length));
    for (const item of value) encodeInto(item, parts);
  } else if (value instanceof Map) {
    parts.push(headOf(5, value.size));
    for (const [key, item] of value) {
      encodeInto(key, parts);
      encodeInto(item, parts);
    }
  } else {
    parts.push(Uint8Array.of(value === false ? 0xf4 : value === true ? 0xf5 : 0xf6));
  }
}

function headOf(major: number, argument: number): Uint8Array {
  if (argument < 24) return Uint8Array.of((major << 5) | argument);
  if (argument < 0x100) return Uint8Array.of((major << 5) | 24, argument);
  if (argument < 0x10000) return Uint8Array.of((major << 5) | 25, argument >> 8, argument & 0xff);
  const head = Buffer.alloc(5);
  head[0] = (major << 5) | 26;
  head.writeUInt32BE(argument, 1);
  return head;
}
