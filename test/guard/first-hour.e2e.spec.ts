import { Controller, Get, Module, UseGuards } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import {
  GenAuthValidationError,
  MfaManagementService,
  MfaModule,
  MfaOptionsError,
  RequireMfaBound,
} from 'nestjs-genauth-mfa';
import { CapturingLogger } from '../support/capturing-logger.js';
import { emulatorOptions } from '../support/emulator-app.js';
import { useEmulator } from '../support/emulator-hooks.js';
import { createGuardApp, type AdapterName } from '../support/guard-app.js';

@Controller('vault')
class VaultController {
  @UseGuards(RequireMfaBound('TOTP')) @Get() open() {
    return { ok: true };
  }
}

describe('messages that name their fix', () => {
  const emulator = useEmulator();

  it('names a guard class by its policy when Nest cannot build it (the module is not imported)', async () => {
    @Module({ controllers: [VaultController] })
    class ForgotTheModule {}
    const error = await Test.createTestingModule({ imports: [ForgotTheModule] })
      .compile()
      .catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('RequireMfaBound(TOTP)');
    expect(RequireMfaBound({ allOf: ['SMS', 'EMAIL'] }).name).toBe('RequireMfaBound(allOf: EMAIL, SMS)');
  });

  it.each<AdapterName>(['express', 'fastify'])(
    'says once per route, on a 401 without a user, what it looked for and how to fix it (%s)',
    async (adapter) => {
      const logger = new CapturingLogger();
      const app = await createGuardApp(adapter, emulator(), { logger });
      try {
        for (let i = 0; i < 5; i += 1) expect((await app.get('/r/totp')).status).toBe(401);
        expect((await app.get('/r/sms')).status).toBe(401);
        const lines = logger.warnings.filter((line) => line.startsWith('no user found'));
        expect(lines).toHaveLength(2);
        expect(lines[0]).toContain('request.user');
        expect(lines[0]).toContain('authentication guard before the MFA guard');
        expect(lines[0]).toContain('resolveUser');
      } finally {
        await app.close();
      }
    },
  );

  it("with verifyCredentials: 'fail', stops start-up when GenAuth refuses the key, with GenAuth's message", async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        MfaModule.forRoot(
          emulatorOptions(emulator(), { accessKeySecret: 'a-wrong-secret', verifyCredentials: 'fail' }),
        ),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    const error = await app.init().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MfaOptionsError);
    expect((error as Error).message).toContain('apiCode 1300');
    expect((error as Error).message).not.toContain('a-wrong-secret');
    await app.close();
  });

  it("with verifyCredentials: 'warn', starts and logs the refusal once; without it, makes no call at start-up", async () => {
    const logger = new CapturingLogger();
    const warned = await createGuardApp('express', emulator(), {
      logger,
      mfa: { accessKeySecret: 'a-wrong-secret', verifyCredentials: 'warn' },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logger.errors.filter((line) => line.includes("refused this app's credentials at start-up"))).toHaveLength(1);
    await warned.close();
    emulator().resetCounts();
    const quiet = await createGuardApp('express', emulator());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emulator().requestCount()).toBe(0);
    await quiet.close();
  });

  it('logs a refused key once as a configuration error, not once per request, and its end once', async () => {
    const logger = new CapturingLogger();
    const app = await createGuardApp('express', emulator(), {
      logger,
      mfa: { accessKeySecret: 'a-wrong-secret', maxRetries: 0, circuitBreaker: { failureThreshold: 0 } },
    });
    try {
      for (let i = 0; i < 8; i += 1) expect((await app.get('/r/totp', `user-${i}`)).status).toBe(503);
      const refused = logger.errors.filter((line) => line.includes("refuses this app's credentials"));
      expect(refused).toHaveLength(1);
      expect(refused[0]).toContain('a configuration error, not an outage');
      expect(logger.errors.filter((line) => line.startsWith('MFA lookup failed'))).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('setFactorBound: one factor of one user, in one call', () => {
  const emulator = useEmulator();

  it('binds and unbinds each factor, and the guard sees it at once', async () => {
    const app = await createGuardApp('express', emulator());
    const mfa = app.app.get(MfaManagementService);
    try {
      expect((await app.get('/r/totp', 'u-none')).status).toBe(403);
      await mfa.setFactorBound({ userId: 'u-none', factor: 'OTP', bound: true });
      expect((await app.get('/r/totp', 'u-none')).status).toBe(200);
      await mfa.setFactorBound({ userId: 'u-none', factor: 'SMS', bound: true, phone: '+8613800009999' });
      await mfa.setFactorBound({ userId: 'u-none', factor: 'EMAIL', bound: true, email: 'none@example.com' });
      expect(emulator().getBindings('u-none')).toEqual({ EMAIL: true, SMS: true, TOTP: true, FACE: false });
      await mfa.setFactorBound({ userId: 'u-none', factor: 'TOTP', bound: false });
      await mfa.setFactorBound({ userId: 'u-none', factor: 'SMS', bound: false });
      expect(emulator().getBindings('u-none')).toEqual({ EMAIL: true, SMS: false, TOTP: false, FACE: false });
      expect((await app.get('/r/totp', 'u-none')).status).toBe(403);
    } finally {
      await app.close();
    }
  });

  it('refuses bad arguments before writing anything: an unknown factor, SMS without a phone', async () => {
    const app = await createGuardApp('express', emulator());
    const mfa = app.app.get(MfaManagementService);
    try {
      await expect(mfa.setFactorBound({ userId: 'u-face', factor: 'PIN' as never, bound: true })).rejects.toThrow(
        GenAuthValidationError,
      );
      emulator().resetCounts();
      await expect(mfa.setFactorBound({ userId: 'u-face', factor: 'SMS', bound: true })).rejects.toMatchObject({
        field: 'phone',
      });
      expect(emulator().requestCount('set-mfa-status')).toBe(0);
    } finally {
      await app.close();
    }
  });
});
