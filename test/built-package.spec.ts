import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('the built package', () => {
  it('exposes its two entry points to plain Node (ESM), with the public names only', () => {
    const script = `
      import * as main from 'nestjs-genauth-mfa';
      import * as testing from 'nestjs-genauth-mfa/testing';
      console.log(JSON.stringify({ main: Object.keys(main).sort(), testing: Object.keys(testing).sort() }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const { main, testing } = JSON.parse(out) as { main: string[]; testing: string[] };
    for (const name of [
      'MfaModule',
      'MfaManagementService',
      'RequireMfaBound',
      'MfaPolicy',
      'SkipMfa',
      'GenAuthError',
      'MFA_BINDING_CACHE',
    ]) {
      expect(main).toContain(name);
    }
    expect(testing).toEqual(expect.arrayContaining(['GenAuthEmulator', 'parseEmulatorSeed']));
    expect(main).not.toContain('GenAuthHttpClient');
    expect(main).not.toContain('stringToSign');
  });

  it('loads in a CommonJS process through require(), as the very objects import() gives', () => {
    const script = `
      const main = require('nestjs-genauth-mfa');
      const testing = require('nestjs-genauth-mfa/testing');
      Promise.all([import('nestjs-genauth-mfa'), import('nestjs-genauth-mfa/testing')]).then(([m, t]) =>
        console.log(JSON.stringify({ module: m.MfaModule === main.MfaModule, emulator: t.GenAuthEmulator === testing.GenAuthEmulator })));
    `;
    const out = execFileSync(process.execPath, ['--input-type=commonjs', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ module: true, emulator: true });
  });

  it('loads the optional integrations from their own entry points, for apps that install their peers', () => {
    const script = `
      import * as terminus from 'nestjs-genauth-mfa/terminus';
      import * as swagger from 'nestjs-genauth-mfa/swagger';
      import * as auth from 'nestjs-genauth-mfa/auth';
      console.log(JSON.stringify({ terminus: Object.keys(terminus).sort(), swagger: Object.keys(swagger).sort(), auth: Object.keys(auth).sort() }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({
      terminus: ['MfaHealthIndicator'],
      swagger: ['ApiMfaResponses', 'MFA_RESPONSES'],
      auth: [
        'ConfigurableGenAuthAuthModule',
        'GENAUTH_TOKEN_ALGORITHMS',
        'GenAuthAuthGuard',
        'GenAuthAuthModule',
        'GenAuthAuthUnavailableException',
        'GenAuthTokenRejectedException',
        'GenAuthTokenVerifier',
      ],
    });
  });

  it('loads the main entry point without class-validator, class-transformer or axios; /dto loads them', () => {
    // A resolve hook that refuses those packages: the main entry point must load without them.
    const hook = `export async function resolve(specifier, context, next) {
      if (/^(axios|class-validator|class-transformer|@nestjs\\/axios)(\\/|$)/.test(specifier)) throw new Error('asked for ' + specifier);
      return next(specifier, context);
    }`;
    const script = `
      import { register } from 'node:module';
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
      const main = await import('nestjs-genauth-mfa');
      main.MfaModule.forRoot({ accessKeyId: 'k', accessKeySecret: 's' });
      const dto = await import('nestjs-genauth-mfa/dto').then((m) => Object.keys(m).sort(), (e) => e.message);
      console.log(JSON.stringify({ module: typeof main.MfaModule, dto }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({
      module: 'function',
      dto: expect.stringMatching(/^asked for class-(validator|transformer)$/),
    });
    const plain = `import('nestjs-genauth-mfa/dto').then((m) => console.log(JSON.stringify(Object.keys(m).sort())))`;
    expect(JSON.parse(execFileSync(process.execPath, ['-e', plain], { encoding: 'utf8' }))).toEqual([
      'ApplicationMfaDto',
      'GetMfaTriggerDataDto',
      'IsSuccessDto',
      'MfaTriggerDataDto',
      'MfaUserRefDto',
      'SetUsersMfaStatusDto',
      'UserMfaInfoDto',
    ]);
  });

  it('imports the main entry point without @nestjs/core, which forRoot then takes from the app', () => {
    const hook = `export async function resolve(specifier, context, next) {
      if (/^@nestjs\\/core(\\/|$)/.test(specifier)) throw new Error('asked for ' + specifier);
      return next(specifier, context);
    }`;
    const refused = `
      import { register } from 'node:module';
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
      const main = await import('nestjs-genauth-mfa');
      const core = await import('@nestjs/core').then(() => 'loaded', (e) => e.message);
      console.log(JSON.stringify({ guard: main.RequireMfaBound('TOTP').name, core }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', refused], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ guard: 'RequireMfaBound(TOTP)', core: 'asked for @nestjs/core' });
    // The module forRoot promises Nest is built from the app's own @nestjs/core (one instance of its classes).
    const shared = `
      const { MfaModule } = await import('nestjs-genauth-mfa');
      const module = MfaModule.forRoot({ accessKeyId: 'k', accessKeySecret: 's' });
      const promised = module.imports.filter((i) => i instanceof Promise);
      const core = await Promise.all(promised);
      const { DiscoveryModule, ModuleRef } = await import('@nestjs/core');
      const inject = core.flatMap((m) => m.providers.flatMap((p) => p.inject ?? []));
      console.log(JSON.stringify({
        promised: promised.length,
        discovery: core.some((m) => m.imports.includes(DiscoveryModule)),
        moduleRef: inject.includes(ModuleRef),
      }));
    `;
    const same = execFileSync(process.execPath, ['--input-type=module', '-e', shared], { encoding: 'utf8' });
    expect(JSON.parse(same)).toEqual({ promised: 1, discovery: true, moduleRef: true });
  });

  it('ships type declarations for every entry point', async () => {
    const pkg = (await import('nestjs-genauth-mfa/package.json', { with: { type: 'json' } })).default as unknown as {
      exports: Record<string, { types: string }>;
    };
    for (const entry of ['.', './testing', './terminus', './swagger', './auth', './dto']) {
      expect(existsSync(join(import.meta.dirname, '..', 'lib', pkg.exports[entry]!.types))).toBe(true);
    }
  });
});
