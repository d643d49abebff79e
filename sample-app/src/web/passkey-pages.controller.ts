import { Body, Controller, Get, Header, HttpCode, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { MfaPasskeyService, type MfaPasskeyProof } from 'nestjs-genauth-mfa';
import { JwtAuthGuard, type AuthUser } from '../auth/jwt-auth.guard.js';
import { pageSession } from './factor-pages.js';
import { page } from './html.js';
import { SignedOutFilter } from './signed-out.filter.js';

type SignedIn = { user: AuthUser };

/**
 * Passkeys through `MfaPasskeyService`: the JSON endpoints the browser's script calls (options out, the
 * authenticator's answer in), the page that adds one, and the script itself. GenAuth runs the ceremonies;
 * the browser turns the JSON options into WebAuthn calls with `PublicKeyCredential.parse*OptionsFromJSON`.
 */
@UseFilters(SignedOutFilter)
@UseGuards(JwtAuthGuard)
@Controller('web/mfa/passkey')
export class PasskeyPagesController {
  constructor(private readonly passkeys: MfaPasskeyService) {}

  /** The page that adds a passkey (a factor verified in the last five minutes first, if the user has one). */
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  addPage(@Req() req: SignedIn): string {
    return page(
      'Passkeys',
      `<h1>Add a passkey</h1>
<p class="note">A passkey lets you step up with this device instead of a code. If you hold a factor, verify it
first (<a id="verify-first" href="/web/mfa/verify?returnTo=/web/mfa/passkey">verify now</a>).</p>
<p id="passkey-result" class="note" hidden></p>
<button id="add-passkey" type="button" onclick="passkey('registration')">Add a passkey</button>
<p><a href="/web">Back</a></p>
<script src="/web/mfa/passkey/passkey.js"></script>`,
      req.user.id,
    );
  }

  @Get('registration')
  registrationOptions(@Req() req: SignedIn) {
    return this.passkeys.registrationOptions(pageSession(req.user));
  }

  @Post('registration')
  @HttpCode(204)
  register(@Req() req: SignedIn, @Body() proof: MfaPasskeyProof): Promise<void> {
    return this.passkeys.register(pageSession(req.user), proof);
  }

  @Get('authentication')
  authenticationOptions(@Req() req: SignedIn) {
    return this.passkeys.authenticationOptions(pageSession(req.user));
  }

  @Post('authentication')
  @HttpCode(204)
  verify(@Req() req: SignedIn, @Body() proof: MfaPasskeyProof): Promise<void> {
    return this.passkeys.verify(pageSession(req.user), proof);
  }

  /** The browser's side: options from the JSON endpoint, the WebAuthn call, its JSON answer back. */
  @Get('passkey.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    return PASSKEY_SCRIPT;
  }
}

const PASSKEY_SCRIPT = `async function passkey(ceremony, returnTo) {
  const result = document.getElementById('passkey-result');
  const show = (text) => { result.textContent = text; result.hidden = false; };
  try {
    const started = await fetch('/web/mfa/passkey/' + ceremony);
    const body = await started.json();
    if (!started.ok) return show(body.message);
    const credential = ceremony === 'registration'
      ? await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(body.options) })
      : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(body.options) });
    const done = await fetch('/web/mfa/passkey/' + ceremony, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: body.ticket, credential: credential.toJSON() }),
    });
    if (!done.ok) return show((await done.json()).message);
    if (returnTo) location.assign(returnTo);
    else show('Your passkey is added.');
  } catch (error) {
    show('The passkey did not work here: ' + error.message);
  }
}
`;
