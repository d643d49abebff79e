import { Controller, Get, Header, Inject, NotFoundException } from '@nestjs/common';
import { totpCode, type GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { SAMPLE_EMULATOR } from '../config/config.tokens.js';
import { escapeHtml, page } from '../web/html.js';

/**
 * DEMO ONLY, on the emulator: the current TOTP code of every user that has TOTP bound, and the codes sent by
 * SMS and e-mail, for a person trying the journey without a phone. A real app has no such page: the code is
 * on the user's phone or in their mailbox.
 */
@Controller('web/demo')
export class DemoCodesController {
  constructor(@Inject(SAMPLE_EMULATOR) private readonly emulator: GenAuthEmulator | null) {}

  @Get('codes')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  codes(): string {
    if (!this.emulator) throw new NotFoundException();
    const rows = ['alice', 'bob', 'carol', 'dave', ...this.emulator.userIds()]
      .filter((userId, i, all) => all.indexOf(userId) === i)
      .map((userId) => [userId, this.emulator!.totpSecretOf(userId)] as const)
      .filter((row): row is readonly [string, string] => row[1] !== undefined)
      .map(
        ([userId, secret]) =>
          `<tr><td>${escapeHtml(userId)}</td><td><code class="code" data-user="${escapeHtml(userId)}">${totpCode(secret)}</code></td></tr>`,
      );
    const inbox = this.emulator
      .sentCodes()
      .map(
        ({ to, code }) =>
          `<tr><td>${escapeHtml(to)}</td><td><code class="sent" data-to="${escapeHtml(to)}">${code}</code></td></tr>`,
      );
    return page(
      'Current codes',
      `<h1>Current TOTP codes (emulator only)</h1>
<p class="note">What an authenticator app would show now; a code changes every 30 seconds. Reload for new ones.</p>
<table>${rows.join('') || '<tr><td>Nobody has TOTP bound yet.</td></tr>'}</table>
<h2>Codes sent by SMS and e-mail</h2>
<p class="note">The latest code the emulator would have sent to each phone and address (the step-up page's "send me a code").</p>
<table>${inbox.join('') || '<tr><td>No code sent yet.</td></tr>'}</table>`,
    );
  }
}
