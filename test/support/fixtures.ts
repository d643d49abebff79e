import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `test/fixtures/`: what the official SDK computes and sends, recorded once and kept as data. */
export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export interface SignatureVector {
  name: string;
  input: {
    accessKeyId: string;
    accessKeySecret: string;
    method: 'GET' | 'POST';
    path: string;
    params?: Record<string, string>;
    body?: Record<string, unknown>;
    signedHeaders: Record<string, string>;
  };
  stringToSign: string;
  signature: string;
  authorization: string;
}

export interface WireCapture {
  method: string;
  url: string;
  headers: Record<string, string>;
  rawHeaders: string[];
  body: string;
}

export function loadSignatureVectors(): SignatureVector[] {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, 'signature-vectors.json'), 'utf8')) as SignatureVector[];
}

export function loadWireCaptures(): WireCapture[] {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, 'sdk-wire-captures.json'), 'utf8')) as WireCapture[];
}
