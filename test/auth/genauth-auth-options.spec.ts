import { describe, expect, it } from 'vitest';
import { genAuthAuthSettings } from '../../lib/src/auth/genauth-auth.options.js';

const base = { appHost: 'https://my-app.genauth.ai', audience: 'app-id' };

describe("GenAuthAuthModule's options, checked at start-up", () => {
  it("derives GenAuth's issuer and key set from the app host, and keeps safe defaults", () => {
    const settings = genAuthAuthSettings(base);
    expect(settings.issuer).toBe('https://my-app.genauth.ai/oidc');
    expect(settings.jwksUrl.href).toBe('https://my-app.genauth.ai/oidc/.well-known/jwks.json');
    expect(settings).toMatchObject({ audience: ['app-id'], algorithms: ['RS256'], clockToleranceSeconds: 30 });
  });

  it.each([
    [{ ...base, appHost: 'http://my-app.genauth.ai' }, /appHost.*https/],
    [{ ...base, jwksUrl: 'http://10.0.0.1/jwks' }, /jwksUrl.*https/],
    [{ ...base, audience: [] }, /audience/],
    [{ appHost: base.appHost }, /audience/],
    [{ ...base, algorithms: ['HS256'] }, /algorithms/],
    [{ ...base, algorithms: ['none'] }, /algorithms/],
    [{ ...base, clockToleranceSeconds: -1 }, /clockToleranceSeconds/],
    [{ ...base, revoked: 'yes' }, /revoked/],
  ])('refuses %j', (options, message) => {
    expect(() => genAuthAuthSettings(options)).toThrow(message);
  });

  it('takes http:// on loopback, for the emulator', () => {
    expect(genAuthAuthSettings({ ...base, appHost: 'http://127.0.0.1:4000' }).issuer).toBe(
      'http://127.0.0.1:4000/oidc',
    );
  });
});
