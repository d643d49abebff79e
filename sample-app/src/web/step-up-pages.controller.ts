import { Body, Controller, Get, Header, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { MfaFactorException, MfaFactorService, safeReturnTo, type MfaCodeSent } from 'nestjs-genauth-mfa';
import { JwtAuthGuard, type AuthUser } from '../auth/jwt-auth.guard.js';
import { messageOf, pageSession } from './factor-pages.js';
import { SendCodeForm, VerifyForm } from './forms.js';
import { escapeHtml, page } from './html.js';
import { SignedOutFilter } from './signed-out.filter.js';

type SignedIn = { user: AuthUser };
type CodeFactor = 'TOTP' | 'SMS' | 'EMAIL';
const NAMES: Record<CodeFactor, string> = { TOTP: 'authenticator app', SMS: 'text message', EMAIL: 'e-mail' };

/**
 * The step-up page (the guard's `stepUpUrl`): the user proves a factor they hold, through `MfaFactorService`:
 * a TOTP code, or a code sent by SMS or e-mail to what they bound (never to an address the form names).
 */
@UseFilters(SignedOutFilter)
@UseGuards(JwtAuthGuard)
@Controller('web/mfa')
export class StepUpPagesController {
  constructor(private readonly factors: MfaFactorService) {}

  /** The ways this user can verify: TOTP's code field, and a send button per bound SMS or e-mail. */
  @Get('verify')
  @Header('content-type', 'text/html; charset=utf-8')
  async verifyPage(@Req() req: SignedIn, @Query('returnTo') returnTo?: string, error?: string): Promise<string> {
    const bound = (await this.factors.listEnrolledFactors(pageSession(req.user))).map((f) => f.factor);
    const back = escapeHtml(safeReturnTo(returnTo, '/web'));
    const totp = bound.includes('TOTP') ? codeForm('TOTP', back) : '';
    const sends = (['SMS', 'EMAIL'] as const)
      .filter((factor) => bound.includes(factor))
      .map(
        (factor) => `<form method="post" action="/web/mfa/send">
  <input type="hidden" name="factor" value="${factor}"><input type="hidden" name="returnTo" value="${back}">
  <button id="send-${factor.toLowerCase()}" type="submit">Send me a code by ${NAMES[factor]}</button>
</form>`,
      );
    return this.frame(req, error, totp + sends.join('\n') + passkeyButton(back));
  }

  /** Sends a code by SMS or e-mail, then shows the field to enter it. */
  @Post('send')
  async send(@Req() req: SignedIn, @Body() form: SendCodeForm, @Res() res: Response) {
    const back = escapeHtml(safeReturnTo(form.returnTo, '/web'));
    try {
      const sent = await this.factors.sendCode(pageSession(req.user), { factor: form.factor });
      res.type('html').send(this.frame(req, undefined, codeForm(form.factor, back, sent)));
    } catch (error) {
      const message = messageOf(error);
      if (!message) throw error;
      // Sent a moment ago: the code already sent is still good.
      res.status((error as MfaFactorException).getStatus());
      res.type('html').send(this.frame(req, message, codeForm(form.factor, back)));
    }
  }

  /** Verifies the code for this session (step-up routes read it), then goes back. */
  @Post('verify')
  async verify(@Req() req: SignedIn, @Body() form: VerifyForm, @Res() res: Response) {
    const factor = form.factor ?? 'TOTP';
    try {
      await this.factors.verifyCode(pageSession(req.user), { factor, code: form.code });
      res.redirect(303, safeReturnTo(form.returnTo, '/web'));
    } catch (error) {
      const message = messageOf(error);
      if (!message) throw error;
      res.status((error as MfaFactorException).getStatus());
      const back = escapeHtml(safeReturnTo(form.returnTo, '/web'));
      res.type('html').send(this.frame(req, message, codeForm(factor, back)));
    }
  }

  private frame(req: SignedIn, error: string | undefined, forms: string): string {
    return page(
      'Verify it is you',
      `<h1>Verify it is you</h1>
<p class="note">${escapeHtml(req.user.id)}, the page you opened needs one of your factors verified within the last
few minutes.</p>
${error ? `<p class="note" id="error">${escapeHtml(error)}</p>` : ''}
${forms}`,
      req.user.id,
    );
  }
}

/** Step-up with a passkey the user added (the script calls MfaPasskeyService's endpoints, then goes back). */
function passkeyButton(back: string): string {
  return `<p id="passkey-result" class="note" hidden></p>
<button id="use-passkey" type="button" onclick="passkey('authentication', this.dataset.back)" data-back="${back}">Use a passkey</button>
<p><a id="add-passkey-link" href="/web/mfa/passkey">Add a passkey</a></p>
<script src="/web/mfa/passkey/passkey.js"></script>`;
}

/** The code field of one factor; `sent` says where an SMS or e-mail code went. */
function codeForm(factor: CodeFactor, back: string, sent?: MfaCodeSent): string {
  const where = sent ? `<p id="sent-to">We sent a code to ${escapeHtml(sent.sentTo)}.</p>` : '';
  return `${where}<form method="post" action="/web/mfa/verify">
  <input type="hidden" name="factor" value="${factor}"><input type="hidden" name="returnTo" value="${back}">
  <p><label>Code from your ${NAMES[factor]} <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code"></label></p>
  <button id="verify" type="submit">Verify</button>
</form>`;
}
