import { Controller, Get, Header, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import {
  MFA_FACTORS,
  MfaAuditService,
  mfaAuditCsvHeader,
  mfaAuditCsvLine,
  RequireMfaBound,
  type MfaAuditRow,
  type MfaAuditSummary,
  type MfaFactor,
} from 'nestjs-genauth-mfa';
import { AdminGuard } from '../auth/admin.guard.js';
import { JwtAuthGuard, type AuthUser } from '../auth/jwt-auth.guard.js';
import { escapeHtml, page } from './html.js';
import { SignedOutFilter } from './signed-out.filter.js';

/** The factor the sample enforces on its pages, whose absence the coverage page lists. */
const ENFORCED: MfaFactor = 'TOTP';

/**
 * "MFA coverage", for admins: how many users have bound each factor (a bar chart in inline SVG), who lacks
 * the enforced one, and the whole audit as CSV. Each view audits the pool again: fine for the demo pool; on a
 * large pool, run `npx genauth-mfa audit` on a schedule instead.
 */
@UseFilters(SignedOutFilter)
@UseGuards(JwtAuthGuard, AdminGuard, RequireMfaBound('TOTP'))
@Controller('web/admin')
export class CoverageController {
  constructor(private readonly audit: MfaAuditService) {}

  @Get('coverage')
  @Header('content-type', 'text/html; charset=utf-8')
  async coverage(@Req() req: { user: AuthUser }): Promise<string> {
    const run = this.audit.run({ missing: ENFORCED });
    const missing: MfaAuditRow[] = [];
    for await (const row of run) missing.push(row);
    const { summary } = run;
    const rows = missing
      .map(
        (row) =>
          `<tr><td>${escapeHtml(row.userId ?? `(page ${row.page})`)}</td><td>${escapeHtml(row.email ?? '')}</td>` +
          `<td>${row.status === 'ok' ? 'not bound' : escapeHtml(`${row.status}: ${row.error ?? ''}`)}</td></tr>`,
      )
      .join('');
    return page(
      'MFA coverage',
      `<h1>MFA coverage</h1>
<p id="totals">${summary.users} users; ${summary.bound[ENFORCED]} have ${ENFORCED} bound, ${summary.missing} do not.</p>
${chart(summary)}
<h2>Without ${ENFORCED}</h2>
<table id="missing"><thead><tr><th>User</th><th>E-mail</th><th>${ENFORCED}</th></tr></thead><tbody>${rows}</tbody></table>
<p><a id="download" href="/web/admin/coverage.csv" download>Download the whole audit (CSV)</a> · <a href="/web">Back</a></p>`,
      req.user.id,
    );
  }

  @Get('coverage.csv')
  async download(@Res() res: Response): Promise<void> {
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="mfa-coverage.csv"');
    res.write(mfaAuditCsvHeader());
    for await (const row of this.audit.run()) res.write(mfaAuditCsvLine(row));
    res.end();
  }
}

/** Bound (dark) and not bound (light) per factor, as horizontal bars. */
function chart(summary: MfaAuditSummary): string {
  const width = 320;
  const bars = MFA_FACTORS.map((factor, i) => {
    const bound = summary.bound[factor];
    const share = summary.users > 0 ? bound / summary.users : 0;
    const y = 10 + i * 34;
    return `<g class="bar" data-factor="${factor}" data-bound="${bound}" data-not-bound="${summary.users - bound}">
  <text x="0" y="${y + 17}">${factor}</text>
  <rect x="60" y="${y}" width="${width}" height="24" fill="#dfe6ee"><title>${summary.users - bound} not bound</title></rect>
  <rect x="60" y="${y}" width="${Math.round(share * width)}" height="24" fill="#2f6fd0"><title>${bound} bound</title></rect>
  <text x="${70 + width}" y="${y + 17}">${bound} / ${summary.users}</text>
</g>`;
  }).join('\n');
  return `<svg id="chart" role="img" aria-label="Users with each factor bound" width="460" height="${20 + MFA_FACTORS.length * 34}" font-size="14">${bars}</svg>`;
}
