import { Body, Controller, Get, Header, Post, Query, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { safeReturnTo } from 'nestjs-genauth-mfa';
import { GenAuthUsers } from '../genauth/genauth-users.js';
import { SignInForm } from './forms.js';
import { escapeHtml, page } from './html.js';
import { SESSION_COOKIE } from './web-session.js';
import { SignedOutFilter } from './signed-out.filter.js';

/** Signing in through GenAuth: the password goes to GenAuth, and its user token becomes the session. */
@UseFilters(SignedOutFilter)
@Controller('web')
export class SignInController {
  constructor(private readonly genauth: GenAuthUsers) {}

  @Get('sign-in')
  @Header('content-type', 'text/html; charset=utf-8')
  form(@Query('user') user?: string, @Query('returnTo') returnTo?: string, error?: string): string {
    const back = safeReturnTo(returnTo, '/web');
    return page(
      'Sign in',
      `<h1>Sign in with GenAuth</h1>
${error ? `<p class="note" id="error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/web/sign-in">
  <input type="hidden" name="returnTo" value="${escapeHtml(back)}">
  <p><label>Account <input id="account" name="account" value="${escapeHtml(user ?? '')}" autocomplete="username"></label></p>
  <p><label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label></p>
  <button id="sign-in" type="submit">Sign in</button>
</form>`,
    );
  }

  @Post('sign-in')
  async signIn(@Body() form: SignInForm, @Res() res: Response) {
    const token = await this.genauth.signIn(form.account, form.password);
    if (!token) {
      res
        .status(401)
        .type('html')
        .send(this.form(form.account, form.returnTo, 'Wrong account or password.'));
      return;
    }
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/' });
    res.redirect(303, safeReturnTo(form.returnTo, '/web'));
  }
}
