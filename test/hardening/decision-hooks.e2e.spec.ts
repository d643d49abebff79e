import { describe, expect, it } from 'vitest';
import type { MfaDecisionEvent } from 'nestjs-genauth-mfa';
import { CapturingLogger } from '../support/capturing-logger.js';
import { useEmulator } from '../support/emulator-hooks.js';
import { createGuardApp, type AdapterName, type GuardApp } from '../support/guard-app.js';

class AuditError extends Error {
  override name = 'AuditError';
}

describe.each<AdapterName>(['express', 'fastify'])('a decision hook that fails (%s)', (adapter) => {
  const emulator = useEmulator();

  async function withApp(onDecision: (event: MfaDecisionEvent) => unknown, run: (app: GuardApp) => Promise<void>) {
    const logger = new CapturingLogger();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const app = await createGuardApp(adapter, emulator(), { logger, mfa: { onDecision } });
    try {
      await run(app);
      // Rejections surface on the next turns of the event loop.
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { lines: logger.lines, unhandled };
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await app.close();
    }
  }

  it("rejecting (the README's audit.write(event)) never changes an answer, never crashes, and is logged once", async () => {
    let calls = 0;
    const { lines, unhandled } = await withApp(
      async () => {
        calls += 1;
        await Promise.resolve();
        throw new AuditError('audit store down');
      },
      async (app) => {
        for (let i = 0; i < 30; i += 1) {
          expect((await app.get('/r/totp', 'u-totp')).status).toBe(200);
          expect((await app.get('/r/totp', 'u-face')).status).toBe(403);
        }
      },
    );
    expect(calls).toBe(60);
    expect(unhandled).toEqual([]);
    expect(lines.filter((line) => line.includes('audit store down'))).toHaveLength(1);
  });

  it('throwing synchronously, with two kinds of error, is logged once per kind', async () => {
    const { lines, unhandled } = await withApp(
      (event) => {
        if (event.outcome === 'allowed') throw new AuditError('sync failure');
        throw new TypeError('another failure');
      },
      async (app) => {
        for (let i = 0; i < 10; i += 1) {
          expect((await app.get('/r/totp', 'u-totp')).status).toBe(200);
          expect((await app.get('/r/totp', 'u-face')).status).toBe(403);
        }
      },
    );
    expect(unhandled).toEqual([]);
    expect(lines.filter((line) => line.startsWith('onDecision failed'))).toHaveLength(2);
  });

  it('is not awaited: a hook that has not settled does not hold the answer', async () => {
    let release!: () => void;
    const pending = new Promise<void>((resolve) => (release = resolve));
    let settled = 0;
    await withApp(
      () => pending.then(() => (settled += 1)),
      async (app) => {
        expect((await app.get('/r/totp', 'u-totp')).status).toBe(200);
        expect((await app.get('/r/totp', 'u-face')).status).toBe(403);
        expect(settled).toBe(0);
        release();
        await pending;
      },
    );
    expect(settled).toBe(2);
  });
});
