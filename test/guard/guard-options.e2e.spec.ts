import 'reflect-metadata';
import { Controller, Get, Injectable, UseGuards, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MFA_GUARD_SETTINGS,
  MfaDecisionEngine,
  MfaGuard,
  MfaPolicy,
  MfaPolicyError,
  RequireMfaBound,
  type MfaDenial,
  type MfaUserRef,
} from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { startEmulator } from '../support/emulator-app.js';
import { createGuardApp, HandlerCalls, HeaderAuthGuard, type GuardApp } from '../support/guard-app.js';

const advanceClock = (ms: number) => vi.setSystemTime(Date.now() + ms);

/** A guard subclass that reads the user from a header and writes its own 403 body. */
@Injectable()
class HeaderMfaGuard extends RequireMfaBound('FACE') {
  protected override getUser(context: ExecutionContext): MfaUserRef | undefined {
    const id = context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['x-account'];
    return id ? { userId: id } : undefined;
  }
  protected override buildErrorBody(denial: MfaDenial): object {
    return { error: denial.code, from: 'subclass' };
  }
}

@Controller('custom')
class CustomController {
  constructor(private readonly calls: HandlerCalls) {}
  @UseGuards(HeaderMfaGuard) @Get('face') face() {
    this.calls.count += 1;
    return { ok: true };
  }
  @UseGuards(HeaderAuthGuard, RequireMfaBound('TOTP')) @Get('totp') totp() {
    this.calls.count += 1;
    return { ok: true };
  }
}

describe('guard options', () => {
  let emulator: GenAuthEmulator;
  let app: GuardApp | undefined;

  beforeEach(async () => {
    emulator = await startEmulator();
  });

  afterEach(async () => {
    vi.useRealTimers();
    await app?.close();
    app = undefined;
    await emulator.stop();
  });

  it('expires positive answers after cache.ttlMs and negative ones after the shorter negativeTtlMs', async () => {
    // Only the clock is faked: the cache reads Date.now(), and the HTTP servers keep their real timers.
    vi.useFakeTimers({ toFake: ['Date'] });
    app = await createGuardApp('express', emulator, { mfa: { cache: { ttlMs: 400, negativeTtlMs: 100 } } });
    await app.get('/r/totp', 'u-totp');
    await app.get('/r/totp', 'u-none');
    advanceClock(99);
    await app.get('/r/totp', 'u-none');
    expect(emulator.requestCount('get-user-mfa-info')).toBe(2);
    advanceClock(1);
    await app.get('/r/totp', 'u-totp');
    await app.get('/r/totp', 'u-none');
    expect(emulator.requestCount('get-user-mfa-info')).toBe(3);
    advanceClock(299);
    await app.get('/r/totp', 'u-totp');
    expect(emulator.requestCount('get-user-mfa-info')).toBe(3);
    advanceClock(1);
    await app.get('/r/totp', 'u-totp');
    expect(emulator.requestCount('get-user-mfa-info')).toBe(4);
  });

  it('opens the circuit after repeated failures: later requests get 503 without an upstream call, until it resets', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    app = await createGuardApp('express', emulator, {
      mfa: { maxRetries: 0, circuitBreaker: { failureThreshold: 2, resetTimeoutMs: 300 } },
    });
    emulator.setFault('get-user-mfa-info', { httpStatus: 500 });
    expect((await app.get('/r/totp', 'u-totp')).status).toBe(503);
    expect((await app.get('/r/totp', 'u-face')).status).toBe(503);
    const open = await app.get('/r/totp', 'u-all');
    expect(open.status).toBe(503);
    expect(open.headers.get('retry-after')).toBe('1');
    expect(emulator.requestCount('get-user-mfa-info')).toBe(2);
    emulator.clearFaults();
    advanceClock(299);
    expect((await app.get('/r/totp', 'u-all')).status).toBe(503);
    expect(emulator.requestCount('get-user-mfa-info')).toBe(2);
    advanceClock(1);
    expect((await app.get('/r/totp', 'u-all')).status).toBe(200);
    expect(emulator.requestCount('get-user-mfa-info')).toBe(3);
  });

  it('looks a user up once for two MFA guards on one request, even with caching off', async () => {
    app = await createGuardApp('express', emulator, { mfa: { cache: { ttlMs: 0, negativeTtlMs: 0 } } });
    // With nothing cached, two requests make two calls: the one call below comes from the per-request memo.
    await app.get('/r/sms', 'u-sms-email');
    await app.get('/r/sms', 'u-sms-email');
    expect(emulator.requestCount('get-user-mfa-info')).toBe(2);
    expect((await app.get('/r/twice', 'u-sms-email')).status).toBe(200);
    expect(emulator.requestCount('get-user-mfa-info')).toBe(3);
  });

  it('fails open for every route with the module option', async () => {
    app = await createGuardApp('express', emulator, { mfa: { failOpen: true, maxRetries: 0 } });
    emulator.setFault('get-user-mfa-info', { httpStatus: 503 });
    expect((await app.get('/r/totp', 'u-none')).status).toBe(200);
    emulator.clearFaults();
    expect((await app.get('/r/totp', 'u-none')).status).toBe(403);
  });

  it('builds denial bodies with the errorBody option', async () => {
    app = await createGuardApp('fastify', emulator, {
      mfa: { errorBody: (denial) => ({ problem: denial.code, status: denial.status }) },
    });
    expect((await app.get('/r/sms', 'u-totp')).body).toEqual({ problem: 'MFA_NOT_BOUND', status: 403 });
    expect((await app.get('/r/sms')).body).toEqual({ problem: 'MFA_USER_UNRESOLVED', status: 401 });
  });

  it('takes the user from the resolveUser option', async () => {
    app = await createGuardApp('express', emulator, {
      mfa: {
        resolveUser: (context) => {
          const email = context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['x-email'];
          return email ? { userId: email, userIdType: 'email' } : undefined;
        },
      },
    });
    const response = await fetch(`${app.url}/r/totp`, { headers: { 'x-email': 'tom@example.com' } });
    expect(response.status).toBe(200);
    expect((await app.get('/r/totp', 'u-totp')).status).toBe(401);
  });

  it('lets a subclass change where the user comes from and the body', async () => {
    app = await createGuardApp('express', emulator, { controllers: [CustomController] });
    const allowed = await fetch(`${app.url}/custom/face`, { headers: { 'x-account': 'u-face' } });
    expect(allowed.status).toBe(200);
    const denied = await fetch(`${app.url}/custom/face`, { headers: { 'x-account': 'u-totp' } });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ error: 'MFA_NOT_BOUND', from: 'subclass' });
    expect((await app.get('/custom/totp', 'u-totp')).status).toBe(200);
    expect(app.calls.count).toBe(2);
  });

  it('reads the user of an RPC payload, and denies an unknown context type with the documented body and a warning', async () => {
    const warnings: string[] = [];
    app = await createGuardApp('express', emulator, {
      logger: { log() {}, error() {}, warn: (message: unknown) => warnings.push(String(message)) },
    });
    class CustomMfaGuard extends RequireMfaBound('TOTP') {
      protected override getRequest(context: ExecutionContext): unknown {
        return context.getType<string>() === 'kafka-like' ? context.getArgByIndex(0) : super.getRequest(context);
      }
    }
    const deps = [app.app.get(Reflector), app.app.get(MFA_GUARD_SETTINGS), app.app.get(MfaDecisionEngine)] as const;
    const Plain = RequireMfaBound('TOTP');
    const plain = new Plain(...deps);
    const custom = new CustomMfaGuard(...deps);
    const handler = function handle() {};
    const context = (type: string, data: unknown) => {
      const host = new ExecutionContextHost([data, {}], CustomController, handler);
      host.setType(type);
      return host;
    };
    const outcome = (run: () => boolean | Promise<boolean>) =>
      Promise.resolve()
        .then(run)
        .catch((error: unknown) => error);

    expect(await plain.canActivate(context('rpc', { user: { id: 'u-totp' } }))).toBe(true);
    expect(await outcome(() => plain.canActivate(context('rpc', { user: { id: 'u-face' } })))).toMatchObject({
      error: { code: 'MFA_NOT_BOUND', missingFactors: ['TOTP'] },
    });

    for (let i = 0; i < 3; i += 1) {
      const denied = (await outcome(() => plain.canActivate(context('kafka-like', { user: { id: 'u-totp' } })))) as {
        getStatus(): number;
        getResponse(): unknown;
      };
      expect(denied.getStatus()).toBe(401);
      expect(denied.getResponse()).toEqual({
        statusCode: 401,
        code: 'MFA_USER_UNRESOLVED',
        message: 'No authenticated user to check MFA for.',
      });
    }
    expect(warnings.filter((w) => w.includes("'kafka-like' context on CustomController.handle"))).toHaveLength(1);
    expect(await custom.canActivate(context('kafka-like', { user: { id: 'u-totp' } }))).toBe(true);
  });
});

describe('policies at decoration time', () => {
  it('throws on an unknown factor or an empty list, before any request', () => {
    expect(() => MfaPolicy('PIN' as never)).toThrow(MfaPolicyError);
    expect(() => RequireMfaBound(['SMS', 'PIN'] as never)).toThrow(/unknown factor "PIN"/);
    expect(() => RequireMfaBound({ allOf: [] })).toThrow(/at least one factor/);
    expect(() => MfaPolicy({ someOf: ['SMS'] } as never)).toThrow(MfaPolicyError);
  });

  it('memoises the guard class per policy, OTP and TOTP being one', () => {
    expect(RequireMfaBound('TOTP')).toBe(RequireMfaBound('OTP'));
    expect(RequireMfaBound(['TOTP'])).toBe(RequireMfaBound('TOTP'));
    expect(RequireMfaBound({ allOf: ['SMS', 'EMAIL'] })).toBe(RequireMfaBound({ allOf: ['EMAIL', 'SMS'] }));
    expect(RequireMfaBound({ allOf: ['SMS', 'EMAIL'] })).not.toBe(RequireMfaBound({ anyOf: ['SMS', 'EMAIL'] }));
    expect(RequireMfaBound()).toBe(RequireMfaBound());
    expect(new (RequireMfaBound('SMS') as unknown as new (...args: never[]) => object)()).toBeInstanceOf(MfaGuard);
  });
});
