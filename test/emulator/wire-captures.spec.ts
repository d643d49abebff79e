import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_CODES, GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { loadSignatureVectors, loadWireCaptures, type WireCapture } from '../support/fixtures.js';
import { sendRaw } from '../support/raw-request.js';

const captures = loadWireCaptures();
const { accessKeyId, accessKeySecret } = loadSignatureVectors()[0]!.input;
const CAPTURE_DATE = new Date('Tue, 02 Jan 2024 03:04:05 GMT');

function pairs(capture: WireCapture): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < capture.rawHeaders.length; i += 2) {
    const name = capture.rawHeaders[i]!;
    if (!/^(host|connection|content-length)$/i.test(name)) out.push([name, capture.rawHeaders[i + 1]!]);
  }
  return out;
}

function withHeader(capture: WireCapture, name: string, value: string | undefined): Array<[string, string]> {
  const kept = pairs(capture).filter(([n]) => n.toLowerCase() !== name);
  return value === undefined ? kept : [...kept, [name, value]];
}

describe('emulator: requests captured from the official SDK', () => {
  let emulator: GenAuthEmulator;
  let url: string;

  beforeEach(async () => {
    emulator = new GenAuthEmulator({
      seed: {
        credentials: [{ accessKeyId, accessKeySecret }],
        users: [
          { userId: '65a1b2c3d4e5f60718293a4b', mfa: { TOTP: true } },
          { userId: 'u-alice', email: 'alice+mfa@example.com', mfa: { EMAIL: true } },
          { userId: 'u-idp', identities: ['62f20932716fbcc10d966ee5:ou_8bae746eac07cd2564654140d2a9ac61'] },
          { userId: 'u-zhang', username: '张 三', mfa: { SMS: true } },
        ],
        applications: [{ appId: '62a50e1c9d1f2a3b4c5d6e7f', policies: ['SMS', 'TOTP'] }],
      },
    });
    url = await emulator.start();
    emulator.setClock(CAPTURE_DATE);
  });

  afterEach(() => emulator.stop());

  it.each(captures.map((c, i) => [i, c.method, c.url, c] as const))(
    'accepts capture %i: %s %s',
    async (_i, method, path, capture) => {
      const response = await sendRaw(url, method, path, pairs(capture), capture.body);
      expect(response.status).toBe(200);
      const body = JSON.parse(response.body) as { statusCode: number; data: unknown };
      expect(body.statusCode).toBe(200);
      expect(body.data).toBeTypeOf('object');
    },
  );

  it('answers the captured lookups from the seeded state (email with + and @, identity with :, username with space and CJK)', async () => {
    const bodies = [];
    for (const capture of captures.slice(1, 4)) {
      emulator.forgetNonces();
      bodies.push(JSON.parse((await sendRaw(url, capture.method, capture.url, pairs(capture))).body));
    }
    expect(bodies[0].data.emailMfaStatus).toBe(true);
    expect(bodies[1].data.applicationMfa).toEqual([
      { mfaPolicy: 'SMS', status: 1, sort: 0 },
      { mfaPolicy: 'OTP', status: 1, sort: 1 },
    ]);
    expect(bodies[2].data.mfaPhone).toMatch(/^\+86/);
  });

  it('rejects a replayed nonce with apiCode 1306 (the last capture repeats the first)', async () => {
    const first = captures[0]!;
    expect(captures.at(-1)).toEqual(first);
    await sendRaw(url, first.method, first.url, pairs(first));
    const replay = JSON.parse((await sendRaw(url, first.method, first.url, pairs(first))).body);
    expect(replay.apiCode).toBe(API_CODES.NONCE_REPLAYED);
  });

  describe.each(captures.slice(0, 6).map((c, i) => [i, c] as const))(
    'capture %i with one byte changed',
    (_i, capture) => {
      const auth = capture.headers['authorization']!;
      const flip = (text: string, at: number) =>
        text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);

      it.each([
        [
          'the signature',
          () => withHeader(capture, 'authorization', flip(auth, auth.length - 3)),
          API_CODES.BAD_SIGNATURE,
        ],
        [
          'the nonce',
          () =>
            withHeader(capture, 'x-authing-signature-nonce', flip(capture.headers['x-authing-signature-nonce']!, 0)),
          API_CODES.BAD_SIGNATURE,
        ],
        [
          'the signature method',
          () => withHeader(capture, 'x-authing-signature-method', 'HMAC-SHA2'),
          API_CODES.BAD_SIGNATURE_METHOD,
        ],
        [
          'the signature version',
          () => withHeader(capture, 'x-authing-signature-version', '1.1'),
          API_CODES.BAD_SIGNATURE_VERSION,
        ],
        [
          'the date (unparsable)',
          () => withHeader(capture, 'date', 'Xue, 02 Jan 2024 03:04:05 GMT'),
          API_CODES.UNPARSABLE_DATE,
        ],
        [
          'the date (one second later)',
          () => withHeader(capture, 'date', 'Tue, 02 Jan 2024 03:04:06 GMT'),
          API_CODES.BAD_SIGNATURE,
        ],
        ['the date (missing)', () => withHeader(capture, 'date', undefined), API_CODES.MISSING_DATE],
      ])('rejects a change to %s', async (_what, headers, apiCode) => {
        const body = JSON.parse((await sendRaw(url, capture.method, capture.url, headers(), capture.body)).body);
        expect(body.statusCode).not.toBe(200);
        expect(body.apiCode).toBe(apiCode);
      });

      it('rejects a change to the parameters', async () => {
        const path = capture.url.includes('?') ? capture.url.replace(/userIdType=/, 'userIdType=x') : capture.url;
        const body = capture.body ? capture.body.replace('"userId":"6', '"userId":"7') : capture.body;
        const response = JSON.parse(
          (
            await sendRaw(
              url,
              capture.method,
              path === capture.url && !body ? `${path}?x=1` : path,
              pairs(capture),
              body,
            )
          ).body,
        );
        expect(response.apiCode).toBe(API_CODES.BAD_SIGNATURE);
      });

      it('rejects it when the clock is outside the skew window (1305), and accepts it when the window is widened', async () => {
        emulator.setClock(CAPTURE_DATE.getTime() + 16 * 60_000);
        const skewed = JSON.parse((await sendRaw(url, capture.method, capture.url, pairs(capture), capture.body)).body);
        expect(skewed.apiCode).toBe(API_CODES.DATE_SKEW);
        emulator.setMaxSkewMs(20 * 60_000);
        const accepted = JSON.parse(
          (await sendRaw(url, capture.method, capture.url, pairs(capture), capture.body)).body,
        );
        expect(accepted.statusCode).toBe(200);
      });
    },
  );

  it('accepts an epoch-milliseconds date (the text of apiCode 1303 speaks of them)', async () => {
    const { stringToSign, hmacSha1Base64 } = await import('../../lib/src/client/signature.js');
    const date = String(CAPTURE_DATE.getTime());
    const headers = {
      date,
      'x-authing-signature-nonce': 'n-epoch',
      'x-authing-signature-method': 'HMAC-SHA1',
      'x-authing-signature-version': '1.0',
    };
    const params = { userId: '65a1b2c3d4e5f60718293a4b' };
    const signature = hmacSha1Base64(
      accessKeySecret,
      stringToSign('GET', '/api/v3/get-user-mfa-info', headers, params, 'x-authing-'),
    );
    const response = await sendRaw(url, 'GET', '/api/v3/get-user-mfa-info?userId=65a1b2c3d4e5f60718293a4b', [
      ...Object.entries(headers),
      ['authorization', `authing ${accessKeyId}:${signature}`],
    ]);
    expect(JSON.parse(response.body).data.totpStatus).toBe(true);
  });
});
