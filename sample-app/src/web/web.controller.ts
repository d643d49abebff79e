import { Controller, Get, Header, Inject, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { MfaEnforceFrom, MfaReportOnly, RequireMfaBound, safeReturnTo } from 'nestjs-genauth-mfa';
import { DEMO_PASSWORD } from 'nestjs-genauth-mfa/testing';
import { JwtAuthGuard, requestToken, type AuthUser } from '../auth/jwt-auth.guard.js';
import { SAMPLE_CONFIG } from '../config/config.tokens.js';
import type { SampleConfig } from '../config/sample.config.js';
import { DEMO_USERS } from '../demo/demo-seed.js';
import { GenAuthTokenVerifier } from 'nestjs-genauth-mfa/auth';
import { escapeHtml, page } from './html.js';
import { SESSION_COOKIE } from './web-session.js';
import { SignedOutFilter } from './signed-out.filter.js';

/** The grace period of `/web/export`: enforcement starts 30 days after the app started. */
export const EXPORT_ENFORCED_FROM = new Date(Date.now() + 30 * 24 * 3600 * 1000);

/**
 * Browser pages: a page behind TOTP (a browser without TOTP is sent to enrollment and back), a page in
 * report-only mode, and one in its grace period.
 */
@UseFilters(SignedOutFilter)
@Controller('web')
export class WebController {
  constructor(
    private readonly genauth: GenAuthTokenVerifier,
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  async index(@Req() req: { headers: Record<string, string | undefined> }, @Query('returnTo') returnTo?: string) {
    const back = safeReturnTo(returnTo, '/web');
    const user = await this.signedIn(req.headers);
    const signIn = (who?: string) =>
      `/web/sign-in?${who ? `user=${encodeURIComponent(who)}&amp;` : ''}returnTo=${encodeURIComponent(back)}`;
    // On the emulator the demo users sign in with the demo password; on GenAuth, with their own accounts.
    const users =
      this.config.mode === 'emulator'
        ? DEMO_USERS.map(
            (u) =>
              `<li><a href="${signIn(u.userId)}">Sign in as ${escapeHtml(u.userId)}</a>: ${escapeHtml(u.about)}</li>`,
          ).join('') + `<li>Every demo user's password is <code>${escapeHtml(DEMO_PASSWORD)}</code>.</li>`
        : `<li><a href="${signIn()}">Sign in</a> with an account of your GenAuth user pool.</li>`;
    return page(
      'Sample',
      `<h1>nestjs-genauth-mfa sample</h1>
<ul>${users}</ul>
<ul>
  <li><a href="/web/reports">Quarterly report</a>: TOTP required; without it you are sent to enrollment</li>
  <li><a href="/web/preview">Preview</a>: FACE, report-only (the denial is logged, the page shows)</li>
  <li><a href="/web/export">Export</a>: TOTP, enforced from ${EXPORT_ENFORCED_FROM.toISOString()} (grace period)</li>
  <li><a href="/web/admin/coverage">MFA coverage</a> (admins: alice): who has bound which factor, with a CSV</li>
  <li><a href="/web/transfer">Transfer</a>: a factor (TOTP, SMS or e-mail) verified within the last 5 minutes (step-up); you are asked for a code</li>
  ${this.config.mode === 'emulator' ? '<li><a href="/web/demo/codes">Current codes</a> of the demo users (emulator only)</li>' : ''}
</ul>`,
      user,
    );
  }

  /** Ends the demo session. */
  @Get('sign-out')
  signOut(@Res() res: Response) {
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/web');
  }

  @UseGuards(JwtAuthGuard, RequireMfaBound('TOTP'))
  @Get('reports')
  @Header('content-type', 'text/html; charset=utf-8')
  reports(@Req() req: { user: AuthUser }): string {
    return page(
      'Quarterly report',
      `<h1>Quarterly report</h1>
<p id="content">Revenue grew 12% this quarter. Shown to ${escapeHtml(req.user.id)}, who has TOTP bound.</p>
<p><a href="/web">Back</a></p>`,
      req.user.id,
    );
  }

  @MfaReportOnly()
  @UseGuards(JwtAuthGuard, RequireMfaBound('FACE'))
  @Get('preview')
  @Header('content-type', 'text/html; charset=utf-8')
  preview(@Req() req: { user: AuthUser }): string {
    return page(
      'Preview',
      `<h1>Preview</h1>
<p class="note">Report-only: this page will need FACE. Until then it shows to everyone, and the server logs
who would have been refused.</p>`,
      req.user.id,
    );
  }

  @MfaEnforceFrom(EXPORT_ENFORCED_FROM)
  @UseGuards(JwtAuthGuard, RequireMfaBound('TOTP'))
  @Get('export')
  @Header('content-type', 'text/html; charset=utf-8')
  export(@Req() req: { user: AuthUser }): string {
    return page(
      'Export',
      `<h1>Export</h1>
<p class="note">From ${EXPORT_ENFORCED_FROM.toISOString()} this page needs TOTP. Until then it shows, and responses
to users without TOTP carry <code>MFA-Enforce-From</code>.</p>`,
      req.user.id,
    );
  }

  /** A step-up page: a factor verified within the last 5 minutes, else the browser goes to verify and back. */
  @UseGuards(JwtAuthGuard, RequireMfaBound({ anyOf: ['TOTP', 'SMS', 'EMAIL'] }, { verifiedWithin: '5m' }))
  @Get('transfer')
  @Header('content-type', 'text/html; charset=utf-8')
  transfer(@Req() req: { user: AuthUser }): string {
    return page(
      'Transfer',
      `<h1>Transfer</h1>
<p id="content">Ready to send 1,000.00 from your account. ${escapeHtml(req.user.id)} verified a factor within
the last 5 minutes; after that, this page asks again.</p>
<p><a href="/web">Back</a></p>`,
      req.user.id,
    );
  }

  /** The signed-in user of a page, from its GenAuth session cookie, if any. */
  private async signedIn(headers: Record<string, string | undefined>): Promise<string | undefined> {
    const token = requestToken({ cookie: headers['cookie'] });
    return token ? (await this.genauth.verify(token).catch(() => undefined))?.sub : undefined;
  }
}
