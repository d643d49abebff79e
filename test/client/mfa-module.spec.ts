import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { describe, expect, it } from 'vitest';
import {
  MFA_RESOLVED_OPTIONS,
  MfaManagementService,
  MfaModule,
  MfaOptionsError,
  type MfaModuleOptions,
  type ResolvedMfaOptions,
} from 'nestjs-genauth-mfa';
import { resolveMfaOptions } from '../../lib/src/mfa-options.resolver.js';

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

  it('fills defaults: GenAuth host and flavour, signature mode, zh-CN, user_id', () => {
    const resolved = resolveMfaOptions(base);
    expect(resolved).toMatchObject({
      host: 'https://api.genauth.ai',
      authMode: 'signature',
      flavour: { headerPrefix: 'x-genauth-', scheme: 'GenAuth' },
      lang: 'zh-CN',
      userIdType: 'user_id',
      timeoutMs: 5000,
      failOpen: false,
    });
  });

  it('reads an empty optional string (an empty .env variable) as not set', () => {
    const resolved = resolveMfaOptions({ ...base, host: '', tenantId: '', appId: '', enrollmentUrl: '' });
    expect(resolved.host).toBe('https://api.genauth.ai');
    expect(resolved.tenantId).toBeUndefined();
    expect(resolved.appId).toBeUndefined();
    expect(resolved.enrollmentUrl).toBeUndefined();
    expect(() => resolveMfaOptions({ ...base, host: '   ' })).toThrow('invalid option host');
    expect(() => resolveMfaOptions({ ...base, accessKeyId: '' })).toThrow('accessKeyId');
  });

  it('normalises the host like the official SDK and picks the authing flavour off genauth.ai', () => {
    const resolved = resolveMfaOptions({ ...base, host: 'api.authing.cn/' });
    expect(resolved.host).toBe('https://api.authing.cn');
    expect(resolved.flavour.scheme).toBe('authing');
    expect(
      resolveMfaOptions({ ...base, host: 'https://id.example.com', signatureFlavour: 'genauth' }).flavour.scheme,
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
          useFactory: (settings: Settings) => ({ accessKeyId: settings.keyId, accessKeySecret: SECRET, appId: 'a1' }),
        }),
      ],
    }).compile();
    expect(moduleRef.get<ResolvedMfaOptions>(MFA_RESOLVED_OPTIONS)).toMatchObject({
      accessKeyId: 'from-settings',
      appId: 'a1',
    });
    expect(moduleRef.get(MfaManagementService)).toBeInstanceOf(MfaManagementService);
  });

  it('forRootAsync takes an options class (useClass)', async () => {
    @Injectable()
    class OptionsFactory {
      createMfaOptions(): MfaModuleOptions {
        return { ...base, lang: 'en-US' };
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [MfaModule.forRootAsync({ useClass: OptionsFactory })],
    }).compile();
    expect(moduleRef.get<ResolvedMfaOptions>(MFA_RESOLVED_OPTIONS).lang).toBe('en-US');
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
