import { Logger, type LoggerService } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { startEmulator } from '../support/emulator-app.js';
import { createGuardApp, type AdapterName, type GuardApp } from '../support/guard-app.js';
import { startHostileUpstream, type HostileUpstream } from '../support/hostile-upstream.js';

/** Every line the library logs, whatever its level. */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log = (...parts: unknown[]) => this.lines.push(parts.map(String).join(' '));
  error = this.log;
  warn = this.log;
  debug = this.log;
  verbose = this.log;
}

describe.each<AdapterName>(['express', 'fastify'])('an upstream that reflects what it was sent (%s)', (adapter) => {
  let emulator: GenAuthEmulator;
  let upstream: HostileUpstream;
  let guard: GuardApp;
  const logger = new CapturingLogger();
  let secret: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    secret = emulator.credentials[0]!.accessKeySecret;
    upstream = await startHostileUpstream();
    guard = await createGuardApp(adapter, emulator, { mfa: { host: upstream.url, authMode: 'token', maxRetries: 0 } });
    Logger.overrideLogger(logger);
  });

  afterAll(async () => {
    Logger.overrideLogger(false);
    await guard.close();
    await upstream.close();
    await emulator.stop();
  });

  it.each([
    // A definite refusal is logged as an error (a configuration problem); an unreadable body is not logged.
    [
      'in a JSON error message',
      true,
      (body: string) => JSON.stringify({ statusCode: 403, apiCode: 1, message: `refused: ${body}` }),
    ],
    ['in a body that is not JSON', false, (body: string) => `proxy error, request was ${body}`],
    [
      'as a bearer token',
      true,
      () => JSON.stringify({ statusCode: 401, message: 'bad header Bearer 0123456789abcdef0123456789' }),
    ],
  ])('keeps the secret out of logs and answers %s', async (_case, logged, reflect) => {
    upstream.setHandler((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(reflect(body)));
    });
    logger.lines.length = 0;
    const { status, body } = await guard.get('/r/totp', `reflect-${adapter}-${logger.lines.length}-${Math.random()}`);
    expect(status).toBe(503);
    const everything = JSON.stringify(body) + logger.lines.join('\n');
    expect(logger.lines.length > 0).toBe(logged);
    expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/Bearer [0-9a-f]{20,}/);
  });
});
