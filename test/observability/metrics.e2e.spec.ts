import { metrics } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MFA_METRICS, type MfaBindingCache } from 'nestjs-genauth-mfa';
import { useEmulator } from '../support/emulator-hooks.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { createGuardApp, type GuardApp } from '../support/guard-app.js';

/** Reads what the SDK holds when asked, as a Prometheus scrape would. */
class TestReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

type Points = { attributes: Record<string, unknown>; value: unknown }[];

async function read(reader: TestReader): Promise<Map<string, Points>> {
  const { resourceMetrics } = await reader.collect();
  const found = new Map<string, Points>();
  for (const scope of resourceMetrics.scopeMetrics) {
    if (scope.scope.name !== 'nestjs-genauth-mfa') continue;
    for (const metric of scope.metrics) {
      found.set(
        metric.descriptor.name,
        (metric.dataPoints as DataPoint<unknown>[]).map((p) => ({ attributes: p.attributes, value: p.value })),
      );
    }
  }
  return found;
}

const valueOf = (points: Points | undefined, attributes: Record<string, string>) =>
  points?.find((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v))?.value;

describe('OpenTelemetry metrics, read through the SDK', () => {
  const emulator = useEmulator();
  let reader: TestReader;
  let app: GuardApp | undefined;

  beforeAll(() => {
    reader = new TestReader();
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  });
  afterAll(() => {
    metrics.disable();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('counts decisions by outcome, code and policy, cache hits and misses, and times lookups', async () => {
    app = await createGuardApp('fastify', emulator(), { mfa: { maxRetries: 0 } });
    for (let i = 0; i < 3; i += 1) await app.get('/r/totp', 'u-totp');
    await app.get('/r/totp', 'u-none');
    await app.get('/r/totp');
    await app.get('/r/all', 'u-sms-email');
    emulator().setFault('get-user-mfa-info', { httpStatus: 500 });
    await app.get('/r/face', 'u-face');

    const found = await read(reader);
    const decisions = found.get(MFA_METRICS.decisions);
    const decision = (outcome: string, policy: string, code?: string) =>
      valueOf(decisions, {
        'genauth.mfa.outcome': outcome,
        'genauth.mfa.policy': policy,
        ...(code ? { 'genauth.mfa.code': code } : {}),
      });
    expect(decision('allowed', 'anyOf(TOTP)')).toBe(3);
    expect(decision('allowed', 'allOf(EMAIL,SMS)')).toBe(1);
    expect(decision('denied', 'anyOf(TOTP)', 'MFA_NOT_BOUND')).toBe(1);
    expect(decision('denied', 'anyOf(TOTP)', 'MFA_USER_UNRESOLVED')).toBe(1);
    expect(decision('unavailable', 'anyOf(FACE)', 'MFA_UNAVAILABLE')).toBe(1);

    const cache = found.get(MFA_METRICS.cacheRequests);
    expect(valueOf(cache, { 'genauth.mfa.cache.result': 'miss' })).toBe(4);
    expect(valueOf(cache, { 'genauth.mfa.cache.result': 'hit' })).toBe(2);

    const lookups = found.get(MFA_METRICS.lookupDuration);
    const found1 = valueOf(lookups, { 'genauth.mfa.lookup.result': 'found' }) as Histogram;
    expect(found1.count).toBe(3);
    expect(found1.sum).toBeGreaterThan(0);
    expect(found1.sum).toBeLessThan(5);
    const failed = valueOf(lookups, { 'genauth.mfa.lookup.result': 'error' }) as Histogram;
    expect(failed.count).toBe(1);
    expect(lookups?.find((p) => p.attributes['genauth.mfa.lookup.result'] === 'error')?.attributes['error.type']).toBe(
      'GenAuthServerError',
    );
  });

  it('reports the breaker state, and logs one line when it opens and one when it closes', async () => {
    const logger = new CapturingLogger();
    app = await createGuardApp('express', emulator(), {
      logger,
      mfa: {
        maxRetries: 0,
        circuitBreaker: { failureThreshold: 2, resetTimeoutMs: 200 },
        cache: { ttlMs: 0, negativeTtlMs: 0 },
      },
    });
    const state = async () =>
      (await read(reader))
        .get(MFA_METRICS.breakerState)
        ?.filter((p) => p.value === 1)
        .map((p) => p.attributes['genauth.mfa.circuit_breaker.state']);
    expect(await state()).toContain('closed');

    emulator().setFault('get-user-mfa-info', { httpStatus: 500 });
    for (let i = 0; i < 10; i += 1) expect((await app.get('/r/totp', 'u-totp')).status).toBe(503);
    expect(await state()).toEqual(expect.arrayContaining(['open']));
    emulator().clearFaults();
    // Past the reset time on the breaker's clock; only Date is faked, the app's I/O keeps real timers.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 250 });
    try {
      expect((await app.get('/r/totp', 'u-totp')).status).toBe(200);
    } finally {
      vi.useRealTimers();
    }
    for (let i = 0; i < 5; i += 1) await app.get('/r/totp', 'u-totp');

    expect(logger.lines.filter((l) => l.startsWith('circuit open'))).toHaveLength(1);
    expect(logger.lines.filter((l) => l.startsWith('circuit closed'))).toHaveLength(1);
  });

  it('logs one line when a cache store goes down and one when it is back, never one per request', async () => {
    const logger = new CapturingLogger();
    let broken = true;
    const entries = new Map<string, number>();
    const store: MfaBindingCache = {
      get: (key) => {
        if (broken) throw new Error('store offline');
        return entries.get(key);
      },
      set: (key, mask) => {
        if (!broken) entries.set(key, mask);
      },
      delete: (key) => void entries.delete(key),
    };
    app = await createGuardApp('express', emulator(), { logger, mfa: { cache: { store } } });
    for (let i = 0; i < 20; i += 1) expect((await app.get('/r/totp', 'u-totp')).status).toBe(200);
    broken = false;
    for (let i = 0; i < 20; i += 1) expect((await app.get('/r/totp', 'u-totp')).status).toBe(200);
    expect(logger.lines.filter((l) => l.includes('is down'))).toEqual([
      'The binding cache store is down (read failed: store offline); falling back to GenAuth',
    ]);
    expect(logger.lines.filter((l) => l.includes('is back'))).toEqual(['The binding cache store is back']);
  });
});
