/** A fetched management token and its lifetime. */
export interface FetchedToken {
  readonly token: string;
  readonly expiresInSeconds: number;
}

/**
 * Holds the management token of token mode: one fetch at a time however many calls wait, a refresh
 * before expiry (a tenth of the lifetime early, at most a minute), and a drop when GenAuth rejects it.
 */
export class ManagementTokenProvider {
  private current: { token: string; refreshAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<FetchedToken>,
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid token, fetched when there is none or it is about to expire. */
  get(): Promise<string> {
    if (this.current && this.now() < this.current.refreshAt) return Promise.resolve(this.current.token);
    return (this.pending ??= this.refresh());
  }

  /** The token held now, if any (so that it can be redacted from upstream text). */
  get held(): string | undefined {
    return this.current?.token;
  }

  /** Forgets `token` after GenAuth rejected it, so that the next {@link get} fetches a new one. */
  reject(token: string): void {
    if (this.current?.token === token) this.current = undefined;
  }

  private async refresh(): Promise<string> {
    try {
      const { token, expiresInSeconds } = await this.fetchToken();
      const lifetimeMs = expiresInSeconds * 1000;
      this.current = { token, refreshAt: this.now() + lifetimeMs - Math.min(60_000, lifetimeMs / 10) };
      return token;
    } finally {
      this.pending = undefined;
    }
  }
}
