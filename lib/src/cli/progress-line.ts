import type { MfaAuditProgress } from '../audit/audit.types.js';

const WIDTH = 24;

/**
 * The audit's progress on standard error: on a terminal, one line redrawn at most ten times a second (a bar,
 * counts, rate and ETA); elsewhere (CI logs, files), a plain line at each tenth of the way.
 */
export class ProgressLine {
  private lastDraw = 0;
  private lastTenth = -1;
  private drawn = false;
  /** The latest progress a throttled redraw skipped: `finish` draws it, so the line ends on the true count. */
  private pending: MfaAuditProgress | undefined;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(progress: MfaAuditProgress): void {
    const now = Date.now();
    if (this.stream.isTTY) {
      if (now - this.lastDraw < 100) {
        this.pending = progress;
        return;
      }
      this.lastDraw = now;
      this.draw(progress);
      return;
    }
    const tenth = Math.floor(share(progress) * 10);
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.stream.write(`progress: ${describe(progress)}\n`);
    }
  }

  /** Ends the redrawn line, so that what follows starts on its own. */
  finish(): void {
    if (this.pending) this.draw(this.pending);
    if (this.drawn) this.stream.write('\n');
    this.drawn = false;
  }

  private draw(progress: MfaAuditProgress): void {
    this.pending = undefined;
    this.stream.write(`\r${bar(progress)} ${describe(progress)}\x1b[K`);
    this.drawn = true;
  }
}

function share({ totalCount, audited, skipped }: MfaAuditProgress): number {
  return totalCount > 0 ? Math.min(1, (skipped + audited) / totalCount) : 1;
}

function bar(progress: MfaAuditProgress): string {
  const full = Math.round(share(progress) * WIDTH);
  return `[${'#'.repeat(full)}${'-'.repeat(WIDTH - full)}]`;
}

function describe(progress: MfaAuditProgress): string {
  const { totalCount, audited, skipped, failed, elapsedMs } = progress;
  const rate = elapsedMs > 0 ? (audited * 1000) / elapsedMs : 0;
  const left = Math.max(0, totalCount - skipped - audited);
  const eta = rate > 0 ? `${Math.ceil(left / rate)} s` : '?';
  const percent = Math.floor(share(progress) * 100);
  return `${percent}% ${skipped + audited}/${totalCount} users · ${rate.toFixed(0)}/s · ETA ${eta}${failed ? ` · ${failed} failed` : ''}`;
}
