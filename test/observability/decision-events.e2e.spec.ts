import { Controller, Get, Injectable, UseGuards } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { afterEach, describe, expect, it } from 'vitest';
import {
  MFA_DECISION_EVENT,
  MfaEnforceFrom,
  MfaFailOpen,
  MfaReportOnly,
  RequireMfaBound,
  type MfaDecisionEvent,
} from 'nestjs-genauth-mfa';
import { useEmulator } from '../support/emulator-hooks.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import {
  createGuardApp,
  HandlerCalls,
  HeaderAuthGuard,
  type AdapterName,
  type GuardApp,
} from '../support/guard-app.js';

@UseGuards(HeaderAuthGuard)
@Controller('d')
class DecisionsController {
  constructor(private readonly calls: HandlerCalls) {}
  @UseGuards(RequireMfaBound('TOTP')) @Get('totp') totp() {
    this.calls.count += 1;
    return { ok: true };
  }
  @MfaFailOpen() @UseGuards(RequireMfaBound('TOTP')) @Get('fail-open') failOpen() {
    this.calls.count += 1;
    return { ok: true };
  }
  @MfaReportOnly() @UseGuards(RequireMfaBound('FACE')) @Get('report') report() {
    this.calls.count += 1;
    return { ok: true };
  }
  @MfaEnforceFrom('2999-01-01T00:00:00Z') @UseGuards(RequireMfaBound('FACE')) @Get('grace') grace() {
    this.calls.count += 1;
    return { ok: true };
  }
}

/** Hears decisions as an app would, through @OnEvent. */
@Injectable()
class DecisionListener {
  readonly events: MfaDecisionEvent[] = [];
  @OnEvent(MFA_DECISION_EVENT)
  onDecision(event: MfaDecisionEvent) {
    this.events.push(event);
  }
}

describe.each<AdapterName>(['express', 'fastify'])('decision events (%s)', (adapter) => {
  const emulator = useEmulator();
  let app: GuardApp | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('hands every outcome to onDecision, with route, user, policy, cache and latency', async () => {
    const events: MfaDecisionEvent[] = [];
    app = await createGuardApp(adapter, emulator(), {
      controllers: [DecisionsController],
      mfa: { onDecision: (event) => events.push(event), maxRetries: 0 },
    });
    await app.get('/d/totp', 'u-totp');
    await app.get('/d/totp', 'u-totp');
    await app.get('/d/totp', 'u-face');
    await app.get('/d/totp');
    await app.get('/d/report', 'u-totp');
    await app.get('/d/grace', 'u-totp');
    emulator().setFault('get-user-mfa-info', { httpStatus: 500 });
    await app.get('/d/totp', 'u-none');
    await app.get('/d/fail-open', 'u-sms-email');

    expect(events.map((e) => [e.outcome, e.code ?? null, e.route])).toEqual([
      ['allowed', null, 'DecisionsController.totp'],
      ['allowed', null, 'DecisionsController.totp'],
      ['denied', 'MFA_NOT_BOUND', 'DecisionsController.totp'],
      ['denied', 'MFA_USER_UNRESOLVED', 'DecisionsController.totp'],
      ['report_only', 'MFA_NOT_BOUND', 'DecisionsController.report'],
      ['report_only', 'MFA_NOT_BOUND', 'DecisionsController.grace'],
      ['unavailable', 'MFA_UNAVAILABLE', 'DecisionsController.totp'],
      ['failed_open', 'MFA_UNAVAILABLE', 'DecisionsController.failOpen'],
    ]);
    const [first, second, denied, unresolved, report, grace, unavailable] = events as [
      MfaDecisionEvent,
      ...MfaDecisionEvent[],
    ];
    expect(first).toMatchObject({
      transport: 'http',
      user: { userId: 'u-totp' },
      policy: { mode: 'anyOf', factors: ['TOTP'] },
      fromCache: false,
    });
    expect(first.lookupMs).toBeGreaterThan(0);
    expect(second).toMatchObject({ fromCache: true });
    expect(second).not.toHaveProperty('lookupMs');
    expect(denied).toMatchObject({ user: { userId: 'u-face' }, missingFactors: ['TOTP'] });
    expect(unresolved).not.toHaveProperty('user');
    expect(report).not.toHaveProperty('enforceFrom');
    expect(grace).toMatchObject({ enforceFrom: '2999-01-01T00:00:00.000Z', missingFactors: ['FACE'] });
    expect(unavailable).toMatchObject({ user: { userId: 'u-none' }, fromCache: false });
    expect(app.calls.count).toBe(5);
  });

  it('emits them on Nest event emitter for @OnEvent listeners', async () => {
    app = await createGuardApp(adapter, emulator(), {
      controllers: [DecisionsController],
      imports: [EventEmitterModule.forRoot()],
      providers: [DecisionListener],
    });
    await app.get('/d/totp', 'u-totp');
    await app.get('/d/totp', 'u-none');
    const heard = app.app.get(DecisionListener).events;
    expect(heard.map((e) => e.outcome)).toEqual(['allowed', 'denied']);
    expect(heard[1]).toMatchObject({ code: 'MFA_NOT_BOUND', user: { userId: 'u-none' } });
  });

  it('emits nothing with decisionEvents: false', async () => {
    app = await createGuardApp(adapter, emulator(), {
      controllers: [DecisionsController],
      imports: [EventEmitterModule.forRoot()],
      providers: [DecisionListener],
      mfa: { decisionEvents: false },
    });
    await app.get('/d/totp', 'u-totp');
    expect(app.app.get(DecisionListener).events).toEqual([]);
  });

  it('never fails a request for a listener that throws, and logs it once', async () => {
    const logger = new CapturingLogger();
    app = await createGuardApp(adapter, emulator(), {
      controllers: [DecisionsController],
      logger,
      mfa: {
        onDecision: () => {
          throw new Error('listener bug');
        },
      },
    });
    for (let i = 0; i < 5; i += 1) expect((await app.get('/d/totp', 'u-totp')).status).toBe(200);
    expect((await app.get('/d/totp', 'u-none')).status).toBe(403);
    expect(logger.errors.filter((l) => l.includes('listener bug'))).toHaveLength(1);
  });
});
