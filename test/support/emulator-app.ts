import { Test, type TestingModule } from '@nestjs/testing';
import { MfaManagementService, MfaModule, type MfaModuleOptions } from 'nestjs-genauth-mfa';
import { GenAuthEmulator, type EmulatorSeed, type GenAuthEmulatorOptions } from 'nestjs-genauth-mfa/testing';

/** A pool with one user per case, looked up by every userIdType. */
export const TEST_SEED: EmulatorSeed = {
  users: [
    {
      userId: 'u-totp',
      username: 'tom',
      email: 'tom@example.com',
      phone: '+8613800000001',
      externalId: 'ext-tom',
      identities: ['idp1:ou_tom'],
      syncRelations: ['lark:ou_tom'],
      mfa: { TOTP: true },
    },
    { userId: 'u-sms-email', mfa: { SMS: true, EMAIL: true } },
    { userId: 'u-face', mfa: { FACE: true } },
    { userId: 'u-none' },
    { userId: 'u-all', mfa: { EMAIL: true, SMS: true, TOTP: true, FACE: true } },
  ],
  applications: [{ appId: 'app-1', policies: ['SMS', 'TOTP', 'EMAIL'] }],
};

export async function startEmulator(options: GenAuthEmulatorOptions = {}): Promise<GenAuthEmulator> {
  const emulator = new GenAuthEmulator({ seed: TEST_SEED, ...options });
  await emulator.start();
  return emulator;
}

/** Options that point MfaModule at an emulator, with short retry delays for tests. */
export function emulatorOptions(emulator: GenAuthEmulator, extra: Partial<MfaModuleOptions> = {}): MfaModuleOptions {
  return {
    host: emulator.url,
    accessKeyId: emulator.credentials[0]!.accessKeyId,
    accessKeySecret: emulator.credentials[0]!.accessKeySecret,
    retryBaseDelayMs: 5,
    timeoutMs: 2000,
    ...extra,
  };
}

export async function createService(
  emulator: GenAuthEmulator,
  extra: Partial<MfaModuleOptions> = {},
): Promise<{ moduleRef: TestingModule; service: MfaManagementService }> {
  const moduleRef = await Test.createTestingModule({
    imports: [MfaModule.forRoot(emulatorOptions(emulator, extra))],
  }).compile();
  await moduleRef.init();
  return { moduleRef, service: moduleRef.get(MfaManagementService) };
}
