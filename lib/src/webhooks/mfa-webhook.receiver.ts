import {
  BadRequestException,
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  PayloadTooLargeException,
  UnauthorizedException,
} from '@nestjs/common';
import { MfaBindingResolver } from '../bindings/mfa-binding.resolver.js';
import { MfaVerifications } from '../verifications/mfa-verifications.js';
import { readWebhookEvent } from './webhook-event.js';
import { WebhookInbox, type MfaWebhookCounts } from './webhook-inbox.js';
import { MFA_WEBHOOK_SETTINGS, type MfaWebhookSettings } from './webhook-options.js';
import { carriesSecret, headerValue, secretDigest, WEBHOOK_POOL_HEADERS } from './webhook-secret.js';

/** Refusals are logged at most once a minute per source, and for at most this many sources at once. */
const LOG_EVERY_MS = 60_000;
const MAX_LOG_SOURCES = 1000;

/**
 * Receives GenAuth's webhooks (mounted by `MfaWebhookModule`): checks the secret in constant time and the
 * user pool, answers at once, and then drops the named users' cached bindings (on every replica, through the
 * store's invalidation) or records an `mfa:verified`. Unknown events get 2xx and are ignored; repeats are
 * harmless. Never a 500: a body it cannot read is a 400.
 */
@Injectable()
export class MfaWebhookReceiver {
  private readonly logger = new Logger('MfaWebhook');
  private readonly secret: Buffer;
  private readonly inbox: WebhookInbox;
  private readonly lastLogged = new Map<string, number>();

  /** @internal Nest creates it. */
  constructor(
    @Inject(MFA_WEBHOOK_SETTINGS) private readonly settings: MfaWebhookSettings,
    @Inject(MfaBindingResolver) resolver: MfaBindingResolver,
    @Inject(MfaVerifications) verifications: MfaVerifications,
  ) {
    this.secret = secretDigest(settings.secret);
    this.inbox = new WebhookInbox(resolver, verifications, settings.maxPending, this.logger);
  }

  /** What the receiver has done since start-up. */
  get counts(): MfaWebhookCounts {
    return { ...this.inbox.counts };
  }

  /** @internal The controller's one call: throws the HTTP refusal, or returns the 200 body. */
  receive(headers: Record<string, unknown>, body: unknown, source: string): { success: true } {
    const length = Number(headerValue(headers, 'content-length') ?? 0);
    if (length > this.settings.maxBodyBytes) this.refuse(new PayloadTooLargeException('webhook body too large'));
    const secret = carriesSecret(headers, this.secret);
    if (secret !== 'ok') {
      this.logRefusal(source, secret === 'missing' ? 'no webhook secret' : 'a wrong webhook secret');
      this.refuse(new UnauthorizedException('wrong or missing webhook secret'));
    }
    const pool = WEBHOOK_POOL_HEADERS.map((name) => headerValue(headers, name)).find((v) => v !== undefined);
    if (this.settings.userPoolId !== undefined && pool !== this.settings.userPoolId) {
      this.logRefusal(source, 'another user pool');
      this.refuse(new ForbiddenException('webhook of another user pool'));
    }
    if (length === 0 && JSON.stringify(body ?? null).length > this.settings.maxBodyBytes) {
      this.refuse(new PayloadTooLargeException('webhook body too large'));
    }
    const event = readWebhookEvent(body);
    if (event.kind === 'malformed') this.refuse(new BadRequestException(`unreadable webhook: ${event.reason}`));
    else if (event.kind === 'users') this.inbox.dropUsers(event.userIds);
    else if (event.kind === 'verified' && event.valid && event.factor && this.settings.recordVerified) {
      // The payload carries no time: the verification is dated when it arrives.
      this.inbox.recordVerification(event.userId, event.factor, Date.now());
    } else if (event.kind === 'application') {
      this.logger.log(`${event.eventName}: application ${event.applicationId}, factor ${event.type}`);
    }
    this.inbox.counts.accepted += 1;
    return { success: true };
  }

  private refuse(error: Error): never {
    this.inbox.counts.refused += 1;
    throw error;
  }

  private logRefusal(source: string, why: string): void {
    const now = Date.now();
    if (now - (this.lastLogged.get(source) ?? -Infinity) < LOG_EVERY_MS) return;
    if (this.lastLogged.size >= MAX_LOG_SOURCES) this.lastLogged.clear();
    this.lastLogged.set(source, now);
    this.logger.warn(`refused a webhook from ${source}: ${why} (logged once a minute per source)`);
  }
}
