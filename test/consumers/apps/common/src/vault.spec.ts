import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MfaModule } from 'nestjs-genauth-mfa';
import { DEMO_SEED, GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { VaultController } from './vault.controller.js';

// The app's own test, as a user writes it: the emulator from the testing entry point, a real HTTP server.
describe('VaultController behind RequireMfaBound', () => {
  const emulator = new GenAuthEmulator({ seed: DEMO_SEED });
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const host = await emulator.start();
    const moduleRef = await Test.createTestingModule({
      imports: [MfaModule.forRoot({ host, ...emulator.credentials[0]! })],
      controllers: [VaultController],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await emulator.stop();
  });

  const get = (user: string) => fetch(`${url}/vault/totp`, { headers: { 'x-user-id': user } });

  it('lets a user with TOTP bound through', async () => {
    const response = await get('alice');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ secret: 'behind TOTP' });
  });

  it('answers 403 MFA_NOT_BOUND to a user without TOTP', async () => {
    const response = await get('dave');
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'MFA_NOT_BOUND', missingFactors: ['TOTP'] });
  });
});
