import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `../shared/` beside the project root: the API documents and the official SDK's vectors. */
export const SHARED_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared');

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
  return JSON.parse(readFileSync(join(SHARED_DIR, 'genauth', 'signature-vectors.json'), 'utf8')) as SignatureVector[];
}

export function loadWireCaptures(): WireCapture[] {
  return JSON.parse(readFileSync(join(SHARED_DIR, 'genauth', 'sdk-wire-captures.json'), 'utf8')) as WireCapture[];
}
