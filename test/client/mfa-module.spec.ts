import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import {
  MFA_GUARD_SETTINGS,
  MfaManagementService,
  MfaModule,
  MfaOptionsError,
  type MfaGuardSettings,
  type MfaModuleOptions,
} from 'nestjs-genauth-mfa';
import { validateMfaOptions } from '../../lib/src/options/mfa-options.validation.js';

const SECRET = 'super-secret-value-123';
const base: MfaModuleOptions = { accessKeyId: 'ak', accessKeySecret: SECRET };

describe('MfaModule options', () => {
  it.each<[string, Partial<MfaModuleOptions> | Record<string, unknown>, string]>([
    ['a missing accessKeyId', { accessKeyId: undefined }, 'accessKeyId'],
    ['an empty accessKeySecret', { accessKeySecret: '' }, 'accessKeySecret'],
    ['a bad host URL', { host: 'http://exa mple.com' }, 'host'],
    ['a host with a non-http scheme', { host: 'ftp://example.com' }, 'host'],
    ['a negative timeout', { timeoutMs: -1 }, 'timeoutMs'],
    ['a non-numeric timeout', { timeoutMs: '5s' }, 'timeoutMs'],
    ['an unknown auth mode', { authMode: 'basic' }, 'authMode'],
    ['an unknown userIdType', { userIdType: 'nick' }, 'userIdType'],
    ['an unknown factor in the default policy', { defaultPolicy: 'PIN' }, 'defaultPolicy'],
    ['a negative cache TTL', { cache: { ttlMs: -5 } }, 'cache.ttlMs'],
    ['a zero cache size', { cache: { maxEntries: 0 } }, 'cache.maxEntries'],
    ['a non-boolean failOpen', { failOpen: 'yes' }, 'failOpen'],
  ])('stops the app on %s, naming the option and never the secret', async (_what, patch, option) => {
    const boot = Test.createTestingModule({
      imports: [MfaModule.forRoot({ ...base, ...patch })],
    }).compile();
    const error = await boot.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MfaOptionsError);
    expect((error as MfaOptionsError).option).toBe(option);
    expect((error as Error).message).toContain(option);
    expect(String((error as Error).stack)).not.toContain(SECRET);
  });

  it('fills defaults: GenAuth host and flavor, signature mode, zh-CN, user_id', () => {
    const resolved = validateMfaOptions(base);
    expect(resolved.client).toMatchObject({
      host: 'https://api.genauth.ai',
      authMode: 'signature',
      signatureFlavor: { headerPrefix: 'x-genauth-', scheme: 'GenAuth' },
      lang: 'zh-CN',
      timeoutMs: 5000,
    });
    expect(resolved.guard).toMatchObject({ userIdType: 'user_id', failOpen: false });
    expect(resolved.lookup).toMatchObject({ maxConcurrentLookups: 32, lookupDeadlineMs: 15_000 });
  });

  it('reads an empty optional string (an empty .env variable) as not set', () => {
    const resolved = validateMfaOptions({ ...base, host: '', tenantId: '', appId: '', enrollmentUrl: '' });
    expect(resolved.client.host).toBe('https://api.genauth.ai');
    expect(resolved.client.tenantId).toBeUndefined();
    expect(resolved.service.appId).toBeUndefined();
    expect(resolved.guard.enrollmentUrl).toBeUndefined();
    expect(() => validateMfaOptions({ ...base, host: '   ' })).toThrow('invalid option host');
    expect(() => validateMfaOptions({ ...base, accessKeyId: '' })).toThrow('accessKeyId');
  });

  it('normalizes the host like the official SDK and picks the authing flavor off genauth.ai', () => {
    const { client } = validateMfaOptions({ ...base, host: 'api.authing.cn/' });
    expect(client.host).toBe('https://api.authing.cn');
    expect(client.signatureFlavor.scheme).toBe('authing');
    expect(
      validateMfaOptions({ ...base, host: 'https://id.example.com', signatureFlavor: 'genauth' }).client.signatureFlavor
        .scheme,
    ).toBe('GenAuth');
  });

  it('forRootAsync takes a factory with injected dependencies', async () => {
    @Injectable()
    class Settings {
      readonly keyId = 'from-settings';
    }
    @Module({ providers: [Settings], exports: [Settings] })
    class SettingsModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        MfaModule.forRootAsync({
          imports: [SettingsModule],
          inject: [Settings],
          useFactory: (settings: Settings) => ({
            accessKeyId: settings.keyId,
            accessKeySecret: SECRET,
            defaultPolicy: 'TOTP',
            failOpen: true,
          }),
        }),
      ],
    }).compile();
    const guard = moduleRef.get<MfaGuardSettings>(MFA_GUARD_SETTINGS);
    expect(guard).toMatchObject({ failOpen: true, defaultPolicy: { kind: 'static' } });
    // The guard's view holds no credential.
    expect(JSON.stringify(guard)).not.toContain(SECRET);
    expect(guard).not.toHaveProperty('accessKeyId');
    expect(moduleRef.get(MfaManagementService)).toBeInstanceOf(MfaManagementService);
  });

  it('forRootAsync takes an options class (useClass)', async () => {
    @Injectable()
    class OptionsFactory {
      createMfaOptions(): MfaModuleOptions {
        return { ...base, userIdType: 'email' };
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [MfaModule.forRootAsync({ useClass: OptionsFactory })],
    }).compile();
    expect(moduleRef.get<MfaGuardSettings>(MFA_GUARD_SETTINGS).userIdType).toBe('email');
  });

  it('isGlobal makes the service available to modules that do not import MfaModule', async () => {
    @Injectable()
    class Consumer {
      constructor(readonly mfa: MfaManagementService) {}
    }
    @Module({ providers: [Consumer] })
    class FeatureModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [MfaModule.forRoot({ ...base, isGlobal: true }), FeatureModule],
    }).compile();
    expect(moduleRef.get(Consumer).mfa).toBeInstanceOf(MfaManagementService);
  });
});
