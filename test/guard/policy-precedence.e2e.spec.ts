import { Controller, Get, UseGuards, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MfaPolicy, RequireMfaBound } from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { startEmulator } from '../support/emulator-app.js';
import { CapturingLogger } from '../support/capturing-logger.js';
import { createGuardApp, HeaderAuthGuard, type AdapterName, type GuardApp } from '../support/guard-app.js';

@UseGuards(HeaderAuthGuard, RequireMfaBound('TOTP'))
@Controller('guarded-class')
class GuardedClassController {
  @Get('inherit') inherit() {
    return { ok: true };
  }
  @MfaPolicy('FACE') @Get('method-policy') methodPolicy() {
    return { ok: true };
  }
}

@MfaPolicy('SMS')
@UseGuards(HeaderAuthGuard)
@Controller('decorated-class')
class DecoratedClassController {
  @UseGuards(RequireMfaBound('FACE')) @Get('method-guard') methodGuard() {
    return { ok: true };
  }
  @UseGuards(RequireMfaBound()) @Get('plain-guard') plainGuard() {
    return { ok: true };
  }
}

@MfaPolicy('SMS')
@UseGuards(HeaderAuthGuard, RequireMfaBound('TOTP'))
@Controller('conflicting')
class ConflictingController {
  @Get('route') route() {
    return { ok: true };
  }
}

@Controller('global')
class GlobalPolicyController {
  @Get('default') byDefault() {
    return { ok: true };
  }
  @MfaPolicy('FACE') @Get('face') face() {
    return { ok: true };
  }
}

describe.each<AdapterName>(['express', 'fastify'])('policy precedence: the most specific wins (%s)', (adapter) => {
  let emulator: GenAuthEmulator;
  let app: GuardApp | undefined;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await emulator.stop();
  });

  const statuses = async (path: string) => ({
    totp: (await app!.get(path, 'u-totp')).status,
    face: (await app!.get(path, 'u-face')).status,
    sms: (await app!.get(path, 'u-sms-email')).status,
  });

  it("a method's @MfaPolicy beats the controller's RequireMfaBound(policy)", async () => {
    app = await createGuardApp(adapter, emulator, { controllers: [GuardedClassController] });
    expect(await statuses('/guarded-class/inherit')).toEqual({ totp: 200, face: 403, sms: 403 });
    expect(await statuses('/guarded-class/method-policy')).toEqual({ totp: 403, face: 200, sms: 403 });
  });

  it("a method's RequireMfaBound(policy) beats the controller's @MfaPolicy; RequireMfaBound() reads the decorator", async () => {
    app = await createGuardApp(adapter, emulator, { controllers: [DecoratedClassController] });
    expect(await statuses('/decorated-class/method-guard')).toEqual({ totp: 403, face: 200, sms: 403 });
    expect(await statuses('/decorated-class/plain-guard')).toEqual({ totp: 403, face: 403, sms: 200 });
  });

  it("a route's @MfaPolicy beats the policy of a global RequireMfaBound(policy)", async () => {
    app = await createGuardApp(adapter, emulator, {
      controllers: [GlobalPolicyController],
      providers: [
        { provide: APP_GUARD, useClass: HeaderAuthGuard },
        { provide: APP_GUARD, useClass: RequireMfaBound('TOTP') },
      ],
    });
    expect(await statuses('/global/default')).toEqual({ totp: 200, face: 403, sms: 403 });
    expect(await statuses('/global/face')).toEqual({ totp: 403, face: 200, sms: 403 });
  });

  it('warns once at start-up about a route whose declarations conflict, and lets the guard win', async () => {
    const logger = new CapturingLogger();
    app = await createGuardApp(adapter, emulator, {
      controllers: [ConflictingController, GuardedClassController],
      logger,
    });
    const conflicts = logger.warnings.filter((w) => w.startsWith('ConflictingController.route'));
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toContain("the guard's wins");
    expect(logger.warnings.filter((w) => w.includes('GuardedClassController'))).toEqual([]);
    expect(await statuses('/conflicting/route')).toEqual({ totp: 200, face: 403, sms: 403 });
  });
});

describe.each<AdapterName>(['express', 'fastify'])('async hooks (%s)', (adapter) => {
  let emulator: GenAuthEmulator;
  let app: GuardApp;
  const later = <T>(value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), 5));

  beforeAll(async () => {
    emulator = await startEmulator();
    app = await createGuardApp(adapter, emulator, {
      mfa: {
        resolveUser: (context: ExecutionContext) => {
          const id = context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['x-user-id'];
          if (id === 'explode') return Promise.reject(new Error('directory down'));
          return later(id ? { userId: id } : undefined);
        },
      },
    });
  });
  afterAll(async () => {
    await app.close();
    await emulator.stop();
  });

  it('awaits a resolveUser that returns a promise', async () => {
    expect((await app.get('/r/totp', 'u-totp')).status).toBe(200);
    expect((await app.get('/r/totp', 'u-none')).status).toBe(403);
    expect((await app.get('/r/totp')).status).toBe(401);
  });

  it('answers 500 (and runs no handler) when resolveUser rejects', async () => {
    const before = app.calls.count;
    expect((await app.get('/r/totp', 'explode')).status).toBe(500);
    expect(app.calls.count).toBe(before);
  });

  it('awaits a policy function that returns a promise', async () => {
    expect((await app.get('/r/async-policy?need=FACE', 'u-face')).status).toBe(200);
    expect((await app.get('/r/async-policy?need=FACE', 'u-totp')).status).toBe(403);
    expect((await app.get('/r/async-policy', 'u-totp')).status).toBe(200);
  });
});
