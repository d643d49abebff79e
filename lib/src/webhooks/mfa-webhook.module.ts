import { Controller, HttpCode, Inject, Module, Post, Req, type DynamicModule, type Type } from '@nestjs/common';
import { SkipMfa } from '../policy/mfa.decorators.js';
import { MfaWebhookReceiver } from './mfa-webhook.receiver.js';
import {
  MFA_WEBHOOK_SETTINGS,
  webhookPath,
  webhookSettings,
  type MfaWebhookModuleAsyncOptions,
  type MfaWebhookModuleOptions,
} from './webhook-options.js';

interface WebhookRequest {
  headers: Record<string, unknown>;
  body?: unknown;
  ip?: string;
  socket?: { remoteAddress?: string };
}

/** The receiver's controller, at the configured path (a class per path: a decorator's path is fixed). */
function webhookController(path: string): Type<unknown> {
  @SkipMfa()
  @Controller(path)
  class MfaWebhookController {
    constructor(@Inject(MfaWebhookReceiver) private readonly receiver: MfaWebhookReceiver) {}

    @Post()
    @HttpCode(200)
    receive(@Req() req: WebhookRequest): { success: true } {
      return this.receiver.receive(req.headers, req.body, req.ip ?? req.socket?.remoteAddress ?? 'unknown');
    }
  }
  return MfaWebhookController;
}

/**
 * Receives GenAuth's webhooks, so that changes made outside the app (a factor bound in GenAuth's user
 * center, a user deleted or kicked in the console) reach the guard's cache at once, on every replica.
 * Needs `MfaModule` with `isGlobal: true`.
 * @example
 * ```ts
 * MfaWebhookModule.forRoot({ secret: process.env.GENAUTH_WEBHOOK_SECRET!, path: 'genauth/webhook' })
 * ```
 */
@Module({})
export class MfaWebhookModule {
  /** Mounts `POST /<path>` (default `genauth/webhook`) with these options, checked now. */
  static forRoot(options: MfaWebhookModuleOptions): DynamicModule {
    const settings = webhookSettings(options);
    return {
      module: MfaWebhookModule,
      controllers: [webhookController(webhookPath(options.path))],
      providers: [{ provide: MFA_WEBHOOK_SETTINGS, useValue: settings }, MfaWebhookReceiver],
      exports: [MfaWebhookReceiver],
    };
  }

  /** The same, with the secret from a factory (e.g. `ConfigService`); the path is given here. */
  static forRootAsync(options: MfaWebhookModuleAsyncOptions): DynamicModule {
    return {
      module: MfaWebhookModule,
      imports: options.imports ?? [],
      controllers: [webhookController(webhookPath(options.path))],
      providers: [
        {
          provide: MFA_WEBHOOK_SETTINGS,
          inject: options.inject ?? [],
          useFactory: async (...args: never[]) => webhookSettings(await options.useFactory(...args)),
        },
        MfaWebhookReceiver,
      ],
      exports: [MfaWebhookReceiver],
    };
  }
}
