import 'reflect-metadata';
import { Body, Controller, Get, Module, Post, Query, ValidationPipe, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MfaManagementService, MfaModule } from 'nestjs-genauth-mfa';
import { GetMfaTriggerDataDto, MfaUserRefDto, SetUsersMfaStatusDto } from 'nestjs-genauth-mfa/dto';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorOptions, startEmulator } from '../support/emulator-app.js';

/** An admin API that takes the library's DTOs as its bodies and queries, as the README shows. */
@Controller('admin/mfa')
class AdminMfaController {
  constructor(private readonly mfa: MfaManagementService) {}

  @Get('info')
  info(@Query() user: MfaUserRefDto) {
    return this.mfa.getUserMfaInfo(user);
  }

  @Get('trigger-data')
  triggerData(@Query() args: GetMfaTriggerDataDto) {
    return this.mfa.getMfaTriggerData(args);
  }

  @Post('status')
  setStatus(@Body() body: SetUsersMfaStatusDto) {
    return this.mfa.setUsersMfaStatus(body);
  }
}

describe('the DTO classes as ValidationPipe bodies', () => {
  let emulator: GenAuthEmulator;
  let app: INestApplication;
  const server = () => app.getHttpServer() as Parameters<typeof request>[0];

  beforeAll(async () => {
    emulator = await startEmulator();
    @Module({ imports: [MfaModule.forRoot(emulatorOptions(emulator))], controllers: [AdminMfaController] })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    await emulator.stop();
  });

  it('answers 400 naming the field for a bad user reference, before any call to GenAuth', async () => {
    emulator.resetCounts();
    const tooLong = await request(server())
      .get('/admin/mfa/info')
      .query({ userId: 'x'.repeat(513) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.message).toEqual(['userId must be shorter than or equal to 512 characters']);
    const badType = await request(server()).get('/admin/mfa/info').query({ userId: 'u', userIdType: 'uid' });
    expect(badType.status).toBe(400);
    expect(String(badType.body.message)).toContain('userIdType must be one of the following values');
    const noApp = await request(server()).get('/admin/mfa/trigger-data').query({ userId: 'u-totp' });
    expect(noApp.status).toBe(400);
    expect(String(noApp.body.message)).toContain('appId');
    expect(emulator.requestCount()).toBe(0);
  });

  it('passes a valid query to the service', async () => {
    const found = await request(server()).get('/admin/mfa/info').query({ userId: 'u-totp' });
    expect(found.status).toBe(200);
    expect(found.body.boundFactors).toEqual(['TOTP']);
  });

  it('checks a nested body (applicationMfa entries) and stores a valid one', async () => {
    const bad = await request(server())
      .post('/admin/mfa/status')
      .send({ userId: 'u-none', mfaTriggerData: { mfaToken: 't', applicationMfa: [{ mfaPolicy: 'SMS', status: 2 }] } });
    expect(bad.status).toBe(400);
    expect(String(bad.body.message)).toContain('mfaTriggerData.applicationMfa.0.status');
    const good = await request(server())
      .post('/admin/mfa/status')
      .send({ userId: 'u-none', mfaTriggerData: { mfaToken: 't', applicationMfa: [], faceMfaEnabled: true } });
    expect(good.status).toBe(201);
    expect(good.body).toEqual({ success: true });
    expect(emulator.getBindings('u-none')).toMatchObject({ FACE: true });
  });
});
