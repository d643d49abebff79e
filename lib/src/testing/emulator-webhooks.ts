import type { EmulatorChange } from './emulator-route-context.js';
import type { EmulatedUser } from './emulator-state.js';

/** Where the emulator sends webhooks, as GenAuth does for a webhook configured in its console. */
export interface EmulatorWebhookTarget {
  /** The receiver's URL (the emulator only sends to what you configure: keep it on loopback in tests). */
  url: string;
  /** The shared secret, sent in `x-authing-webhook-secret` and `x-authing-token`, as GenAuth's log shows. */
  secret: string;
  /** `application/json` (default) or `application/x-www-form-urlencoded` (`eventName` and `data` as JSON text). */
  contentType?: 'application/json' | 'application/x-www-form-urlencoded';
  /** Events to send; default all the emulator sends (`user:updated`, `user:deleted`, `mfa:verified`). */
  events?: string[];
  /** Further attempts after a non-2xx answer or no answer. Default 2. */
  retries?: number;
  /** Wait before each further attempt, in ms. Default 100. */
  retryDelayMs?: number;
}

/** One delivery, as {@link GenAuthEmulator.webhookDeliveries} reports it. */
export interface EmulatorWebhookDelivery {
  readonly url: string;
  readonly eventName: string;
  /** The last attempt's HTTP status, or 0 when it got no answer. */
  readonly status: number;
  readonly attempts: number;
  /** When the first attempt was sent (ms). */
  readonly sentAt: number;
}

/** The user as webhook payloads carry it: GenAuth's legacy (v2) shape, with `id`; never a password or token. */
function legacyUser(user: EmulatedUser, poolId: string): Record<string, unknown> {
  const { profile } = user;
  return {
    id: profile.userId,
    userPoolId: poolId,
    username: profile.username ?? null,
    email: profile.email ?? null,
    phone: profile.phone ?? null,
    lastMfaTime: user.lastMfaTime === undefined ? null : new Date(user.lastMfaTime).toISOString(),
  };
}

/** The event GenAuth would send for a change, if any. */
function eventOf(change: EmulatorChange, user: EmulatedUser, poolId: string): [string, object] {
  if (change === 'deleted') return ['user:deleted', { users: [legacyUser(user, poolId)] }];
  if (change === 'verified' || change === 'verify-failed') {
    return ['mfa:verified', { userId: user.profile.userId, isValid: change === 'verified', type: 'OTP' }];
  }
  return ['user:updated', { user: legacyUser(user, poolId), updates: { mfa: change } }];
}

/** Sends webhooks for the emulator's changes, with retries; keeps a log of deliveries for tests. */
export class EmulatorWebhooks {
  private readonly targets: EmulatorWebhookTarget[] = [];
  private readonly log: EmulatorWebhookDelivery[] = [];
  private readonly sending = new Set<Promise<void>>();

  constructor(private readonly poolId: () => string) {}

  add(target: EmulatorWebhookTarget): void {
    if (!URL.canParse(target.url) || !/^https?:$/.test(new URL(target.url).protocol)) {
      throw new RangeError(`webhook url must be an http(s) URL, got ${JSON.stringify(target.url)}`);
    }
    if (typeof target.secret !== 'string' || target.secret === '') throw new RangeError('webhook secret is required');
    this.targets.push({ ...target });
  }

  deliveries(): EmulatorWebhookDelivery[] {
    return [...this.log];
  }

  /** Resolves when every delivery started so far has ended (retries included). */
  async settled(): Promise<void> {
    while (this.sending.size > 0) await Promise.all([...this.sending]);
  }

  changed(change: EmulatorChange, user: EmulatedUser): void {
    if (this.targets.length === 0) return;
    const [eventName, data] = eventOf(change, user, this.poolId());
    for (const target of this.targets) {
      if (target.events && !target.events.includes(eventName)) continue;
      const delivery = this.deliver(target, eventName, data).finally(() => this.sending.delete(delivery));
      this.sending.add(delivery);
    }
  }

  private async deliver(target: EmulatorWebhookTarget, eventName: string, data: object): Promise<void> {
    const form = target.contentType === 'application/x-www-form-urlencoded';
    const body = form
      ? new URLSearchParams({ eventName, data: JSON.stringify(data) }).toString()
      : JSON.stringify({ eventName, data });
    const headers = {
      'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
      'user-agent': 'authing-webhook@2.0',
      'x-authing-webhook-secret': target.secret,
      'x-authing-token': target.secret,
      'x-authing-userpool-id': this.poolId(),
    };
    const sentAt = Date.now();
    const attempts = 1 + (target.retries ?? 2);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let status: number;
      try {
        const response = await fetch(target.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) });
        status = response.status;
        await response.arrayBuffer();
      } catch {
        status = 0;
      }
      if ((status >= 200 && status < 300) || attempt === attempts) {
        this.log.push({ url: target.url, eventName, status, attempts: attempt, sentAt });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, target.retryDelayMs ?? 100));
    }
  }
}
