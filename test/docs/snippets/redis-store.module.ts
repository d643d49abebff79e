import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import { MfaModule, RedisMfaBindingCache } from 'nestjs-genauth-mfa';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    MfaModule.forRootAsync({
      isGlobal: true,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => {
        const redis = new Redis(config.getOrThrow<string>('REDIS_URL'));
        // Without an 'error' listener, ioredis prints an "Unhandled error event" stack trace at every failed
        // reconnect. The store already logs Redis going down and coming back, one line each.
        redis.on('error', () => undefined);
        return {
          accessKeyId: config.getOrThrow<string>('GENAUTH_ACCESS_KEY_ID'),
          accessKeySecret: config.getOrThrow<string>('GENAUTH_ACCESS_KEY_SECRET'),
          host: config.get<string>('GENAUTH_HOST'),
          cache: { store: new RedisMfaBindingCache({ client: redis }) },
        };
      },
    }),
  ],
})
export class MfaWithRedisModule {}
// node-redis instead: const redis = createClient({ url }); redis.on('error', () => undefined); await redis.connect();
