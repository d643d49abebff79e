// One replica of an app, in a process of its own (as in production): a Nest app whose /r/totp route is
// guarded by RequireMfaBound('TOTP'), with the Redis binding cache. Configured by environment variables;
// tells its URL over IPC and makes changes through MfaManagementService when asked.
import 'reflect-metadata';
import { Controller, Get, Injectable, Module, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Redis } from 'ioredis';
import {
  MfaManagementService,
  MfaModule,
  MfaWebhookModule,
  RedisMfaBindingCache,
  RequireMfaBound,
} from 'nestjs-genauth-mfa';

class HeaderUserGuard {
  canActivate(context) {
    const request = context.switchToHttp().getRequest();
    const id = request.headers['x-user-id'];
    if (id) request.user = { id };
    return true;
  }
}
Injectable()(HeaderUserGuard);

class RoutesController {
  totp() {
    return { ok: true, pid: process.pid };
  }
}
const method = (decorator) =>
  decorator(RoutesController.prototype, 'totp', Object.getOwnPropertyDescriptor(RoutesController.prototype, 'totp'));
method(Get('totp'));
method(UseGuards(HeaderUserGuard, RequireMfaBound('TOTP')));
Controller('r')(RoutesController);

const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1 });
redis.on('error', () => undefined);
const store = new RedisMfaBindingCache({ client: redis, keyPrefix: process.env.REDIS_PREFIX });
class AppModule {}
Module({
  imports: [
    MfaModule.forRoot({
      host: process.env.GENAUTH_HOST,
      accessKeyId: process.env.GENAUTH_ACCESS_KEY_ID,
      accessKeySecret: process.env.GENAUTH_ACCESS_KEY_SECRET,
      cache: { store },
      isGlobal: true,
    }),
    // With WEBHOOK_SECRET, GenAuth's webhooks are received at POST /genauth/webhook.
    ...(process.env.WEBHOOK_SECRET ? [MfaWebhookModule.forRoot({ secret: process.env.WEBHOOK_SECRET })] : []),
  ],
  controllers: [RoutesController],
})(AppModule);

await store.ready();
const app = await NestFactory.create(AppModule, { logger: false });
await app.listen(0, '127.0.0.1');
const service = app.get(MfaManagementService);
process.on('message', async (message) => {
  if (message.type === 'change') {
    await service.setUsersMfaStatus({
      userId: message.userId,
      mfaTriggerData: { mfaToken: 't', applicationMfa: [], totpMfaEnabled: message.totp },
    });
    process.send({ type: 'changed' });
  }
  if (message.type === 'stop') {
    await app.close();
    await redis.quit();
    process.exit(0);
  }
});
process.send({ type: 'ready', url: (await app.getUrl()).replace('[::1]', '127.0.0.1') });
