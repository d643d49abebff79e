import 'reflect-metadata';
import { Controller } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Test, type TestingModule } from '@nestjs/testing';
import { MfaModule, type MfaDecisionEvent, type MfaModuleOptions } from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MfaCheck, MfaRoute } from '../../lib/src/contracts/route.js';
// The engine's members are internal: the suite reads its source, which the package's entry point also loads here.
import { MfaDecisionEngine } from '../../lib/src/decision/mfa-decision-engine.js';
import { compileStaticPolicy } from '../../lib/src/policy/policy-compiler.js';
import { emulatorOptions, startEmulator } from '../support/emulator-app.js';

@Controller('engine')
class EngineController {
  handle(): void {}
}

/** A route as the guard would build it, with the settings under test. */
function route(settings: Partial<Pick<MfaRoute, 'failOpen' | 'reportOnly' | 'enforceFrom'>> = {}): MfaRoute {
  return {
    name: 'EngineController.handle',
    policy: { kind: 'static', required: compileStaticPolicy('TOTP') },
    failOpen: false,
    reportOnly: false,
    enforceFrom: undefined,
    counts: { policy: 'anyOf(TOTP)', allowed: 0 },
    ...settings,
  };
}

function check(userId: string | undefined, onRoute: MfaRoute): MfaCheck {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- a handler reference, as Nest passes it
  const context = new ExecutionContextHost([{}, {}], EngineController, EngineController.prototype.handle);
  return {
    context,
    transport: 'http',
    route: onRoute,
    carrier: {},
    user: userId === undefined ? undefined : { userId },
    requestKey: undefined,
  };
}

describe('the decision engine, without HTTP', () => {
  let emulator: GenAuthEmulator;
  let moduleRef: TestingModule;
  let engine: MfaDecisionEngine;
  const events: MfaDecisionEvent[] = [];

  async function engineWith(extra: Partial<MfaModuleOptions> = {}): Promise<MfaDecisionEngine> {
    await moduleRef?.close();
    moduleRef = await Test.createTestingModule({
      imports: [
        MfaModule.forRoot(
          emulatorOptions(emulator, { maxRetries: 0, onDecision: (event) => events.push(event), ...extra }),
        ),
      ],
    }).compile();
    await moduleRef.init();
    return moduleRef.get(MfaDecisionEngine);
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    engine = await engineWith();
  });

  afterEach(() => {
    emulator.clearFaults();
    events.length = 0;
  });

  afterAll(async () => {
    await moduleRef.close();
    await emulator.stop();
  });

  it('allows a user with the factor, from GenAuth and then from the cache', async () => {
    const onRoute = route();
    const first = await engine.decide(check('u-totp', onRoute));
    expect(first).toMatchObject({ outcome: 'allowed', fromCache: false });
    expect(first.lookupMs).toBeGreaterThanOrEqual(0);
    const again = engine.decide(check('u-totp', onRoute));
    expect(again).toMatchObject({ outcome: 'allowed', fromCache: true });
    expect(onRoute.counts.allowed).toBe(2);
    expect(events.map((e) => [e.outcome, e.fromCache])).toEqual([
      ['allowed', false],
      ['allowed', true],
    ]);
  });

  it('denies a user without it with MFA_NOT_BOUND and the missing factors', async () => {
    const decision = await engine.decide(check('u-face', route()));
    expect(decision.outcome).toBe('denied');
    expect(decision.denial).toMatchObject({ code: 'MFA_NOT_BOUND', status: 403, missingFactors: ['TOTP'] });
  });

  it('denies a missing or unusable user with MFA_USER_UNRESOLVED, before any lookup', async () => {
    emulator.resetCounts();
    expect((await engine.decide(check(undefined, route()))).denial).toEqual({
      code: 'MFA_USER_UNRESOLVED',
      status: 401,
    });
    expect((await engine.decide(check('x'.repeat(513), route()))).denial?.code).toBe('MFA_USER_UNRESOLVED');
    expect(emulator.requestCount()).toBe(0);
  });

  it('lets a denial through on a report-only route, as report_only with the denial it would give', async () => {
    const decision = await engine.decide(check('u-none', route({ reportOnly: true })));
    expect(decision).toMatchObject({ outcome: 'report_only', enforceFrom: undefined });
    expect(decision.denial?.code).toBe('MFA_NOT_BOUND');
  });

  it('lets a denial through until enforceFrom, and gives it from that very millisecond on', async () => {
    const from = Date.parse('2027-03-01T00:00:00Z');
    const onRoute = route({ enforceFrom: from });
    engine.now = () => from - 1;
    try {
      const before = await engine.decide(check('u-sms-email', onRoute));
      expect(before).toMatchObject({ outcome: 'report_only', enforceFrom: from });
      engine.now = () => from;
      expect((await engine.decide(check('u-sms-email', onRoute))).outcome).toBe('denied');
    } finally {
      engine.now = Date.now;
    }
  });

  it('answers unavailable with Retry-After when GenAuth fails, and failed_open on a route that fails open', async () => {
    emulator.setFault('get-user-mfa-info', { httpStatus: 500 });
    const closed = await engine.decide(check('u-all', route()));
    expect(closed.outcome).toBe('unavailable');
    expect(closed.denial).toMatchObject({ code: 'MFA_UNAVAILABLE', status: 503, retryAfterSeconds: 5 });
    const open = await engine.decide(check('u-all', route({ failOpen: true })));
    expect(open.outcome).toBe('failed_open');
    expect(open.denial?.code).toBe('MFA_UNAVAILABLE');
  });

  it('never fails open for a user GenAuth refuses as a bad argument: that is a 401', async () => {
    engine = await engineWith({ userIdType: 'custom_field' });
    const decision = await engine.decide(check('someone', route({ failOpen: true })));
    expect(decision.outcome).toBe('denied');
    expect(decision.denial?.code).toBe('MFA_USER_UNRESOLVED');
  });
});
