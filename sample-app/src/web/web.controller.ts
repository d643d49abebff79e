import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  Header,
  Inject,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Response } from 'express';
import { MfaEnforceFrom, MfaManagementService, MfaReportOnly, RequireMfaBound, safeReturnTo } from 'nestjs-genauth-mfa';
import type { AuthUser } from '../auth/jwt-auth.guard.js';
import { JwtAuthGuard } from '../auth/jwt-auth.guard.js';
import { SAMPLE_CONFIG } from '../config/config.tokens.js';
import type { SampleConfig } from '../config/sample.config.js';
import { DEMO_USERS, demoRoles } from '../demo/demo-seed.js';
import { EnrollFormBody } from './enroll-form.body.js';
import { escapeHtml, page } from './html.js';
import { readCookie, SESSION_COOKIE } from './web-session.js';
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
    private readonly jwt: JwtService,
    private readonly mfa: MfaManagementService,
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  async index(@Req() req: { headers: Record<string, string | undefined> }, @Query('returnTo') returnTo?: string) {
    const back = safeReturnTo(returnTo, '/web');
    const user = await this.signedIn(req.headers['cookie']);
    const users = this.config.demoTokens
      ? DEMO_USERS.map(
          (u) =>
            `<li><a href="/web/sign-in?user=${encodeURIComponent(u.userId)}&amp;returnTo=${encodeURIComponent(back)}">Sign in as ${escapeHtml(u.userId)}</a>: ${escapeHtml(u.about)}</li>`,
        ).join('')
      : '<li>Demo sign-in is off (ALLOW_DEMO_TOKENS=true turns it on).</li>';
    return page(
      'Sample',
      `<h1>nestjs-genauth-mfa sample</h1>
<ul>${users}</ul>
<ul>
  <li><a href="/web/reports">Quarterly report</a>: TOTP required; without it you are sent to enrollment</li>
  <li><a href="/web/preview">Preview</a>: FACE, report-only (the denial is logged, the page shows)</li>
  <li><a href="/web/export">Export</a>: TOTP, enforced from ${EXPORT_ENFORCED_FROM.toISOString()} (grace period)</li>
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

  /** DEMO ONLY: signs a demo user in without a password (a cookie holding a JWT). */
  @Get('sign-in')
  async signIn(@Query('user') user: string, @Query('returnTo') returnTo: string, @Res() res: Response) {
    if (!this.config.demoTokens || !DEMO_USERS.some((u) => u.userId === user)) {
      throw new ForbiddenException('No such demo user, or demo sign-in is off');
    }
    const token = await this.jwt.signAsync({ sub: user, roles: demoRoles(user) });
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/' });
    res.redirect(303, safeReturnTo(returnTo, '/web'));
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

  @UseGuards(JwtAuthGuard)
  @Get('mfa/enroll')
  @Header('content-type', 'text/html; charset=utf-8')
  enrollPage(@Req() req: { user: AuthUser }, @Query('returnTo') returnTo?: string): string {
    const back = safeReturnTo(returnTo, '/web');
    return page(
      'Set up two-factor authentication',
      `<h1>Set up two-factor authentication</h1>
<p class="note">${escapeHtml(req.user.id)}, the page you opened needs an authenticator app (TOTP).</p>
<form method="post" action="/web/mfa/enroll">
  <input type="hidden" name="returnTo" value="${escapeHtml(back)}">
  <button id="enroll" type="submit">Turn on TOTP</button>
</form>`,
      req.user.id,
    );
  }

  /** Binds TOTP through `setFactorBound` (the guard forgets its cached answer), then goes back. */
  @UseGuards(JwtAuthGuard)
  @Post('mfa/enroll')
  async enroll(@Req() req: { user: AuthUser }, @Body() form: EnrollFormBody, @Res() res: Response) {
    await this.mfa.setFactorBound({ userId: req.user.id, factor: 'TOTP', bound: true });
    res.redirect(303, safeReturnTo(form.returnTo, '/web'));
  }

  /** The signed-in demo user of a request, read from its session cookie, if any. */
  private async signedIn(cookies: string | undefined): Promise<string | undefined> {
    const token = readCookie(cookies, SESSION_COOKIE);
    if (!token) return undefined;
    return this.jwt.verifyAsync<{ sub: string }>(token).then(
      (payload) => payload.sub,
      () => undefined,
    );
  }
}
