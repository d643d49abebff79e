import { describe, expect, it } from 'vitest';
import { canonicalResource, encodeQuery, hmacSha1Base64, stringToSign } from '../../lib/src/client/signature.js';
import { signatureHeaders } from '../../lib/src/client/request-signer.js';
import { validateMfaOptions } from '../../lib/src/options/mfa-options.validation.js';
import { loadSignatureVectors, loadWireCaptures } from '../support/fixtures.js';

const vectors = loadSignatureVectors();

describe('signature: the official SDK vectors', () => {
  it.each(vectors.map((v) => [v.name, v] as const))(
    '%s: string to sign and signature byte for byte',
    (_name, vector) => {
      const { input } = vector;
      const text = stringToSign(
        input.method,
        input.path,
        input.signedHeaders,
        input.params ?? input.body,
        'x-authing-',
      );
      expect(text).toBe(vector.stringToSign);
      const signature = hmacSha1Base64(input.accessKeySecret, text);
      expect(signature).toBe(vector.signature);
      expect(`authing ${input.accessKeyId}:${signature}`).toBe(vector.authorization);
    },
  );

  it.each(vectors.map((v) => [v.name, v] as const))(
    '%s: the GenAuth flavor signs the x-genauth- headers the same way',
    (_name, vector) => {
      const { input } = vector;
      const renamed = Object.fromEntries(
        Object.entries(input.signedHeaders).map(([name, value]) => [name.replace(/^x-authing-/, 'x-genauth-'), value]),
      );
      const text = stringToSign(input.method, input.path, renamed, input.params ?? input.body, 'x-genauth-');
      expect(text).toBe(vector.stringToSign.replaceAll('x-authing-', 'x-genauth-'));
    },
  );

  it('signatureHeaders produces the vector authorization when given its date, nonce and SDK headers', () => {
    const vector = vectors[0]!;
    const options = validateMfaOptions({
      accessKeyId: vector.input.accessKeyId,
      accessKeySecret: vector.input.accessKeySecret,
      host: 'https://api.authing.cn',
    }).client;
    const headers = signatureHeaders(
      options,
      'GET',
      vector.input.path,
      vector.input.params,
      new Date(vector.input.signedHeaders['date']!),
      vector.input.signedHeaders['x-authing-signature-nonce'],
    );
    expect(headers['date']).toBe(vector.input.signedHeaders['date']);
    expect(headers['authorization']).toMatch(/^authing 60b4d3d0f1e2a3b4c5d6e7f8:[A-Za-z0-9+/]+=*$/);
    // Our SDK-version header differs from the SDK's; put the SDK's in and the signature must be the vector's.
    const asSdk = { ...headers, 'x-authing-sdk-version': 'authing-node-sdk:4.0.1' };
    delete (asSdk as Record<string, string>)['authorization'];
    expect(
      hmacSha1Base64(
        vector.input.accessKeySecret,
        stringToSign('GET', vector.input.path, asSdk, vector.input.params, 'x-authing-'),
      ),
    ).toBe(vector.signature);
  });

  it('skips undefined parameters and writes the bare path when none remain', () => {
    expect(canonicalResource('/p', { a: undefined })).toBe('/p');
    expect(canonicalResource('/p', { b: 2, a: 'x y', c: null, d: true })).toBe('/p?a=x y&b=2&c=null&d=true');
  });

  it('encodes the query exactly as the captured SDK requests', () => {
    const captures = loadWireCaptures().filter((c) => c.url.includes('?'));
    for (const capture of captures) {
      const url = new URL(capture.url, 'http://x');
      const params = Object.fromEntries(url.searchParams);
      expect(`${url.pathname}?${encodeQuery(params)}`).toBe(capture.url);
    }
  });

  it('turns tab, newline, return and form feed in header values into spaces and trims them', () => {
    const text = stringToSign(
      'get',
      '/p',
      { Date: ' d\t1\n ', 'X-Authing-A': 'v\r\fw', other: 'no' },
      undefined,
      'x-authing-',
    );
    expect(text).toBe('GET\ndate:d 1\nx-authing-a:v  w\n/p');
  });
});
