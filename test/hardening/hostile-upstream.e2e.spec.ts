import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { startEmulator } from '../support/emulator-app.js';
import { createGuardApp, type AdapterName, type GuardApp } from '../support/guard-app.js';
import { mfaInfoBody, startHostileUpstream, trickle, type HostileUpstream } from '../support/hostile-upstream.js';

const TIMEOUT_MS = 300;
const MAX_RETRIES = 1;
/**
 * Every fault is answered within timeoutMs × attempts, plus a second of slack for a busy machine: an upstream
 * that trickles forever would otherwise hold the request until the test's own timeout.
 */
const BOUND_MS = TIMEOUT_MS * (1 + MAX_RETRIES) + 1000;

describe.each<AdapterName>(['express', 'fastify'])(
  'the circuit breaker against a trickling upstream (%s)',
  (adapter) => {
    it('ends its trial call within the deadline, so that a healthy GenAuth is used again', async () => {
      // Only the clock is faked (the breaker reads Date.now()); deadlines keep their real timers.
      vi.useFakeTimers({ toFake: ['Date'] });
      const emulator = await startEmulator();
      const upstream = await startHostileUpstream();
      const guard = await createGuardApp(adapter, emulator, {
        mfa: {
          host: upstream.url,
          timeoutMs: TIMEOUT_MS,
          maxRetries: MAX_RETRIES,
          circuitBreaker: { failureThreshold: 1, resetTimeoutMs: 100 },
        },
      });
      const timed = async (userId: string) => {
        const started = performance.now();
        const { status } = await guard.get('/r/totp', userId);
        return { status, elapsed: performance.now() - started };
      };
      try {
        upstream.setHandler((_req, res) => trickle(res));
        const opening = await timed('breaker-1');
        expect(opening.status).toBe(503);
        expect(opening.elapsed).toBeLessThan(BOUND_MS);
        vi.setSystemTime(Date.now() + 150);
        const trial = await timed('breaker-2');
        expect(trial.status).toBe(503);
        expect(trial.elapsed).toBeLessThan(BOUND_MS);
        upstream.setHandler((_req, res) => res.end(mfaInfoBody({ TOTP: true })));
        vi.setSystemTime(Date.now() + 150);
        expect((await timed('breaker-3')).status).toBe(200);
        expect(guard.calls.count).toBe(1);
      } finally {
        vi.useRealTimers();
        await guard.close();
        await upstream.close();
        await emulator.stop();
      }
    });
  },
);

describe.each<AdapterName>(['express', 'fastify'])('a hostile upstream (%s)', (adapter) => {
  let emulator: GenAuthEmulator;
  let upstream: HostileUpstream;
  let guard: GuardApp;
  let user = 0;
  // A new user per case, so that no answer comes from the cache or joins another case's lookup.
  const nextUser = () => `hostile-${adapter}-${(user += 1)}`;

  beforeAll(async () => {
    emulator = await startEmulator();
    upstream = await startHostileUpstream();
    guard = await createGuardApp(adapter, emulator, {
      mfa: {
        host: upstream.url,
        timeoutMs: TIMEOUT_MS,
        maxRetries: MAX_RETRIES,
        retryBaseDelayMs: 5,
        circuitBreaker: { failureThreshold: 0 },
      },
    });
  });

  afterAll(async () => {
    await guard.close();
    await upstream.close();
    await emulator.stop();
  });

  async function expectUnavailable(): Promise<{ elapsed: number; retryAfter: string | null; body: object }> {
    const before = guard.calls.count;
    const started = performance.now();
    const { status, body, headers } = await guard.get('/r/totp', nextUser());
    const elapsed = performance.now() - started;
    expect(status).toBe(503);
    expect(body).toMatchObject({ code: 'MFA_UNAVAILABLE' });
    expect(guard.calls.count).toBe(before);
    expect(elapsed).toBeLessThan(BOUND_MS);
    return { elapsed, retryAfter: headers.get('retry-after'), body };
  }

  it('answers a valid upstream (the harness itself works)', async () => {
    upstream.setHandler((_req, res) => res.end(mfaInfoBody({ TOTP: true })));
    expect((await guard.get('/r/totp', nextUser())).status).toBe(200);
  });

  it('bounds an upstream that trickles its body one byte at a time', async () => {
    upstream.setHandler((_req, res) => trickle(res));
    await expectUnavailable();
  });

  it('bounds an upstream that sends headers and then nothing', async () => {
    upstream.setHandler((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).flushHeaders());
    await expectUnavailable();
  });

  it('bounds an upstream that never answers', async () => {
    upstream.setHandler(() => undefined);
    await expectUnavailable();
  });

  it('refuses a 20 MB body without buffering it', async () => {
    const chunk = Buffer.alloc(1024 * 1024, ' ');
    upstream.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"statusCode":200,"data":{"totpStatus":true,"pad":"');
      for (let i = 0; i < 20 && !res.destroyed; i += 1) res.write(chunk);
      res.end('"}}');
    });
    const heapBefore = process.memoryUsage().heapUsed;
    await Promise.all([expectUnavailable(), expectUnavailable(), expectUnavailable()]);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(30 * 1024 * 1024);
  });

  it('refuses a small gzip that expands to 100 MB', async () => {
    const bomb = gzipSync(
      Buffer.concat([Buffer.from('{"statusCode":200,"data":{"x":"'), Buffer.alloc(100 * 1024 * 1024, 'a')]),
    );
    expect(bomb.length).toBeLessThan(200 * 1024);
    upstream.setHandler((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(bomb));
    const heapBefore = process.memoryUsage().heapUsed;
    await Promise.all([expectUnavailable(), expectUnavailable()]);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(30 * 1024 * 1024);
  });

  it('does not follow a redirect, even to a server that would say "bound"', async () => {
    const honest = await startHostileUpstream();
    honest.setHandler((_req, res) => res.end(mfaInfoBody({ TOTP: true })));
    upstream.setHandler((req, res) => res.writeHead(302, { location: `${honest.url}${req.url}` }).end());
    try {
      await expectUnavailable();
      expect(honest.requests).toBe(0);
    } finally {
      await honest.close();
    }
  });

  it.each([
    ['a statusCode that is a string', '{"statusCode":"200","data":{"totpStatus":true}}'],
    ['data null', '{"statusCode":200,"data":null}'],
    ['a JSON array', '[{"statusCode":200}]'],
    [
      '"yes" for a status',
      '{"statusCode":200,"data":{"totpStatus":"yes","smsMfaStatus":false,"emailMfaStatus":false,"faceMfaStatus":false}}',
    ],
    ['missing fields', '{"statusCode":200,"data":{"totpStatus":true}}'],
    ['an empty body', ''],
    ['HTML', '<html>bad gateway</html>'],
  ])('never reads %s as "bound"', async (_case, body) => {
    upstream.setHandler((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
    await expectUnavailable();
  });

  it.each([
    ['999999999999', '999999999999'],
    ['400 digits', '9'.repeat(400)],
    ['Infinity', 'Infinity'],
    ['a date in year 9999', 'Fri, 31 Dec 9999 23:59:59 GMT'],
    ['a negative number', '-5'],
    ['a past date', 'Thu, 01 Jan 1970 00:00:00 GMT'],
  ])('relays a Retry-After of %s as a whole number of seconds from 1 to 3600', async (_case, value) => {
    upstream.setHandler((_req, res) =>
      res.writeHead(429, { 'retry-after': value, 'content-type': 'application/json' }).end('{"statusCode":429}'),
    );
    const { retryAfter, body } = await expectUnavailable();
    const seconds = Number(retryAfter);
    expect(Number.isInteger(seconds)).toBe(true);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(3600);
    expect(body).toMatchObject({ retryAfterSeconds: seconds });
  });
});
