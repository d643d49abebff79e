import { Controller, Get, UseGuards } from '@nestjs/common';
import { RequireMfaBound } from 'nestjs-genauth-mfa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEmulator } from '../support/emulator-hooks.js';
import {
  createGuardApp,
  HandlerCalls,
  HeaderAuthGuard,
  type AdapterName,
  type GuardApp,
} from '../support/guard-app.js';
import { sendRaw } from '../support/raw-request.js';

@UseGuards(HeaderAuthGuard, RequireMfaBound('TOTP'))
@Controller('files')
class FilesController {
  constructor(private readonly calls: HandlerCalls) {}
  // `*` reads the same on both adapters (Nest converts it for Express 5's router).
  @Get('*') file() {
    this.calls.count += 1;
    return { ok: true };
  }
}

const PAGE = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe.each<AdapterName>(['express', 'fastify'])('redirect targets on a catch-all route (%s)', (adapter) => {
  const emulator = useEmulator();
  let app: GuardApp;

  beforeAll(async () => {
    app = await createGuardApp(adapter, emulator(), {
      controllers: [FilesController],
      mfa: { enrollmentUrl: '/account/mfa' },
    });
  });
  afterAll(() => app.close());

  const open = (path: string, accept = PAGE) =>
    sendRaw(app.url, 'GET', path, [
      ['x-user-id', 'u-none'],
      ['accept', accept],
    ]);

  it('sends a browser on a safe path to enrollment, with that path as returnTo', async () => {
    const answer = await open('/files/reports/2027.pdf');
    expect(answer.status).toBe(303);
    expect(answer.headers['location']).toBe('/account/mfa?returnTo=%2Ffiles%2Freports%2F2027.pdf%3Fmfa_return%3D1');
  });

  it.each(['/files/..//evil.com', '/files/.//evil.com', '/files/%2e%2e//evil.com', '/files/../..//evil.com/x'])(
    'never sends %s to a returnTo that leaves the site',
    async (path) => {
      const answer = await open(path);
      expect(answer.status).not.toBe(200);
      const location = answer.headers['location'];
      if (location === undefined) return;
      // A redirect, if any, is to the enrollment page, with a returnTo that is a path on this origin.
      const sent = new URL(String(location), 'http://app.invalid');
      expect(sent.origin + sent.pathname).toBe('http://app.invalid/account/mfa');
      const returnTo = sent.searchParams.get('returnTo')!;
      expect(returnTo.startsWith('/') && !returnTo.startsWith('//') && !returnTo.startsWith('/\\')).toBe(true);
    },
  );

  it.each(['text/html;q=0', 'application/json, text/html;q=0.1', 'text/htmlx', '*/*'])(
    'answers the JSON 403, not a redirect, to Accept: %s',
    async (accept) => {
      const answer = await open('/files/reports/2027.pdf', accept);
      expect(answer.status).toBe(403);
      expect(answer.headers['location']).toBeUndefined();
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'MFA_NOT_BOUND' });
    },
  );
});
