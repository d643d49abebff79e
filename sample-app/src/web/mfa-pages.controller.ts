import { Body, Controller, Get, Header, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { MfaEnrollmentExpiredException, MfaFactorService, safeReturnTo, type MfaSession } from 'nestjs-genauth-mfa';
import QRCode from 'qrcode';
import { JwtAuthGuard, type AuthUser } from '../auth/jwt-auth.guard.js';
import { EnrollForm } from './forms.js';
import { escapeHtml, page } from './html.js';
import { SignedOutFilter } from './signed-out.filter.js';
import { messageOf, pageSession } from './factor-pages.js';

type SignedIn = { user: AuthUser };

/**
 * The user's own enrollment page, on GenAuth's Authentication API through `MfaFactorService`: enrolling TOTP
 * (a QR code from the `otpauth://` URI, and the secret; bound only with a valid code). Step-up is in
 * `StepUpPagesController`.
 */
@UseFilters(SignedOutFilter)
@UseGuards(JwtAuthGuard)
@Controller('web/mfa')
export class MfaPagesController {
  constructor(private readonly factors: MfaFactorService) {}

  @Get('enroll')
  @Header('content-type', 'text/html; charset=utf-8')
  async enrollPage(@Req() req: SignedIn, @Query('returnTo') returnTo?: string): Promise<string> {
    const enrollment = await this.factors.startEnrollment(this.session(req), { factor: 'TOTP' });
    return this.enrollForm(req, enrollment.enrollmentToken, enrollment.totp!.uri, returnTo);
  }

  /** Binds TOTP with the code the user read (the guard forgets its cached answer), then goes back. */
  @Post('enroll')
  async enroll(@Req() req: SignedIn, @Body() form: EnrollForm, @Res() res: Response) {
    try {
      const enrollment = { factor: 'TOTP' as const, enrollmentToken: form.enrollmentToken, code: form.code };
      await this.factors.completeEnrollment(this.session(req), enrollment);
      res.redirect(303, safeReturnTo(form.returnTo, '/web'));
    } catch (error) {
      if (error instanceof MfaEnrollmentExpiredException) {
        const again = await this.factors.startEnrollment(this.session(req), { factor: 'TOTP' });
        const note = 'That took longer than a minute: here is a new code to add.';
        res
          .status(410)
          .type('html')
          .send(await this.enrollForm(req, again.enrollmentToken, again.totp!.uri, form.returnTo, note));
        return;
      }
      const message = messageOf(error);
      if (!message) throw error;
      res
        .status(400)
        .type('html')
        .send(await this.enrollForm(req, form.enrollmentToken, form.uri, form.returnTo, message));
    }
  }

  private async enrollForm(req: SignedIn, token: string, uri: string, returnTo?: string, note?: string) {
    const secret = new URL(uri).searchParams.get('secret') ?? '';
    const qr = await QRCode.toDataURL(uri);
    return page(
      'Set up two-factor authentication',
      `<h1>Set up two-factor authentication</h1>
<p class="note">${escapeHtml(req.user.id)}, the page you opened needs an authenticator app (TOTP). Scan the code,
or type the secret, then enter the 6 digits it shows.</p>
${note ? `<p class="note" id="error">${escapeHtml(note)}</p>` : ''}
<p><img id="qr" alt="QR code to scan" src="${escapeHtml(qr)}" width="200" height="200"></p>
<p>Secret: <code id="secret">${escapeHtml(secret)}</code></p>
<form method="post" action="/web/mfa/enroll">
  <input type="hidden" name="enrollmentToken" value="${escapeHtml(token)}">
  <input type="hidden" name="uri" value="${escapeHtml(uri)}">
  <input type="hidden" name="returnTo" value="${escapeHtml(safeReturnTo(returnTo, '/web'))}">
  <p><label>Code <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code"></label></p>
  <button id="enroll" type="submit">Turn on TOTP</button>
</form>`,
      req.user.id,
    );
  }

  private session(req: SignedIn): MfaSession {
    return pageSession(req.user);
  }
}
