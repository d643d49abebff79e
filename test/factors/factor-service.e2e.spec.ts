import { Body, Controller, Get, Post, Req, UseFilters, UseGuards, type INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import {
  MfaCodeRejectedException,
  MfaEnrollmentExpiredException,
  MfaFactorExceptionFilter,
  MfaFactorService,
  MfaModule,
  MfaSessionExpiredException,
  RequireMfaBound,
  type MfaModuleOptions,
} from 'nestjs-genauth-mfa';
import { DEMO_PASSWORD, DEMO_SEED, DEMO_TOTP_SECRET, GenAuthEmulator, totpCode } from 'nestjs-genauth-mfa/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterName } from '../support/guard-app.js';

const bearer = (req: { headers: Record<string, string | undefined> }) =>
  /^Bearer (.+)$/.exec(req.headers['authorization'] ?? '')?.[1] ?? '';

/** A factor page's API, as an app writes it: the user's own GenAuth token, the library's exceptions as answers. */
@UseFilters(MfaFactorExceptionFilter)
@Controller('me/mfa')
class MyFactorsController {
  constructor(private readonly factors: MfaFactorService) {}
  @Post('verify') async verify(@Req() req: { headers: Record<string, string> }, @Body() body: { code: string }) {
    await this.factors.verifyTotp({ accessToken: bearer(req) }, body.code);
    return { verified: true };
  }
  @Get('factors') list(@Req() req: { headers: Record<string, string> }) {
    return this.factors.listEnrolledFactors({ accessToken: bearer(req) });
  }
}

/** Identity from the bearer token's `sub`, for the guarded route. */
@Controller('vault')
class VaultController {
  @UseGuards(
    {
      canActivate: (context: import('@nestjs/common').ExecutionContext) => {
        const req = context.switchToHttp().getRequest<{ headers: Record<string, string>; user?: unknown }>();
        const token = bearer(req);
        if (token) req.user = { id: JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub };
        return true;
      },
    },
    RequireMfaBound('TOTP', { verifiedWithin: '1m' }),
  )
  @Get()
  open() {
    return { ok: true };
  }
}

describe.each<AdapterName>(['express', 'fastify'])(
  'MfaFactorService: the user side on the emulator (%s)',
  (adapter) => {
    const emulator = new GenAuthEmulator({ seed: DEMO_SEED });
    let app: INestApplication;
    let url: string;
    let factors: MfaFactorService;

    async function startApp(extra: Partial<MfaModuleOptions> = {}) {
      const moduleRef = await Test.createTestingModule({
        imports: [MfaModule.forRoot({ host: emulator.url, ...emulator.credentials[0]!, appId: 'demo-app', ...extra })],
        controllers: [MyFactorsController, VaultController],
      }).compile();
      const started =
        adapter === 'fastify'
          ? moduleRef.createNestApplication(new FastifyAdapter())
          : moduleRef.createNestApplication();
      started.useLogger(false);
      await started.listen(0, '127.0.0.1');
      return started;
    }

    beforeAll(async () => {
      await emulator.start();
      app = await startApp();
      url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
      factors = app.get(MfaFactorService);
    });
    afterEach(() => {
      emulator.setClock(undefined);
      emulator.clearFaults();
    });
    afterAll(async () => {
      await app.close();
      await emulator.stop();
    });

    const signIn = (account: string) => emulator.signIn(account, DEMO_PASSWORD);
    const vault = async (token: string) =>
      (await fetch(`${url}/vault`, { headers: { authorization: `Bearer ${token}` } })).status;

    it("enrolls TOTP with a code computed from the QR code's secret; the guard sees the binding at once", async () => {
      emulator.addUser({ userId: `erin-${adapter}`, username: `erin-${adapter}`, password: DEMO_PASSWORD });
      const session = { accessToken: await signIn(`erin-${adapter}`) };
      expect(await vault(session.accessToken)).toBe(403);
      expect(await factors.listFactorsToEnroll(session)).toEqual(expect.arrayContaining(['TOTP']));
      const enrollment = await factors.startEnrollment(session, { factor: 'TOTP' });
      expect(enrollment.totp!.uri).toMatch(/^otpauth:\/\/totp\//);
      expect(enrollment.totp!.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
      expect(enrollment.expiresAt.getTime()).toBeGreaterThan(Date.now());
      await expect(
        factors.completeEnrollment(session, {
          factor: 'TOTP',
          enrollmentToken: enrollment.enrollmentToken,
          code: '000000',
        }),
      ).rejects.toMatchObject({ triesLeft: 4 });
      await factors.completeEnrollment(session, {
        factor: 'TOTP',
        enrollmentToken: enrollment.enrollmentToken,
        code: totpCode(enrollment.totp!.secret),
      });
      // Bound (no cache TTL to wait for), and just proved: the step-up route lets the session through.
      expect(await vault(session.accessToken)).toBe(200);
      const [bound] = await factors.listEnrolledFactors(session);
      expect(bound).toMatchObject({ factor: 'TOTP' });
      await factors.resetFactor(session, bound!.factorId);
      expect(await vault(session.accessToken)).toBe(403);
    });

    it('tells the page to restart an enrollment older than its minute', async () => {
      const session = { accessToken: await signIn('carol') };
      const enrollment = await factors.startEnrollment(session, { factor: 'TOTP' });
      emulator.setClock(Date.now() + 61_000);
      const code = totpCode(enrollment.totp!.secret, Date.now() + 61_000);
      await expect(
        factors.completeEnrollment(session, { factor: 'TOTP', enrollmentToken: enrollment.enrollmentToken, code }),
      ).rejects.toBeInstanceOf(MfaEnrollmentExpiredException);
    });

    it('answers a wrong code with the tries left, five with a 429 and Retry-After, and refuses a replayed code', async () => {
      const token = await signIn('alice');
      const verify = (code: string) =>
        fetch(`${url}/me/mfa/verify`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ code }),
        });
      const good = totpCode(DEMO_TOTP_SECRET, Date.now() - 30_000);
      expect((await verify(good)).status).toBe(201);
      const replayed = await verify(good);
      expect(replayed.status).toBe(400);
      expect(await replayed.json()).toMatchObject({ code: 'MFA_CODE_REJECTED', triesLeft: 4 });
      for (const left of [3, 2, 1]) expect(await (await verify('12345x')).json()).toMatchObject({ triesLeft: left });
      const fifth = await verify('000000');
      expect(fifth.status).toBe(429);
      // Locked: even the right code waits.
      const locked = await verify(totpCode(DEMO_TOTP_SECRET));
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await locked.json()).toMatchObject({ code: 'MFA_TOO_MANY_ATTEMPTS' });
    });

    it('asks to sign in again when GenAuth refuses the token, and answers 503 when GenAuth is down', async () => {
      const token = await signIn('bob');
      emulator.setClock(Date.now() + 3601_000);
      await expect(factors.listEnrolledFactors({ accessToken: token })).rejects.toBeInstanceOf(
        MfaSessionExpiredException,
      );
      emulator.setClock(undefined);
      emulator.setFault('list-enrolled-factors', { httpStatus: 502 });
      const down = await fetch(`${url}/me/mfa/factors`, { headers: { authorization: `Bearer ${token}` } });
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(JSON.stringify(await down.json())).not.toContain(token);
    });

    it('reads a wrong code either way GenAuth may answer it: verified false, or apiCode 6001', async () => {
      const strict = new GenAuthEmulator({ seed: DEMO_SEED, wrongTotpAnswer: 'error' });
      await strict.start();
      const other = await Test.createTestingModule({
        imports: [MfaModule.forRoot({ host: strict.url, ...strict.credentials[0]!, appId: 'demo-app' })],
      }).compile();
      try {
        const response = await fetch(`${strict.url}/api/v3/signin`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-authing-app-id': 'demo-app' },
          body: JSON.stringify({
            connection: 'PASSWORD',
            passwordPayload: { account: 'alice', password: DEMO_PASSWORD },
          }),
        });
        const { access_token } = ((await response.json()) as { data: { access_token: string } }).data;
        const rejected = await other
          .get(MfaFactorService)
          .verifyTotp({ accessToken: access_token }, '000000')
          .catch((e: unknown) => e);
        expect(rejected).toBeInstanceOf(MfaCodeRejectedException);
        expect(rejected).toMatchObject({ triesLeft: 4 });
      } finally {
        await other.close();
        await strict.stop();
      }
    });
  },
);
