import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { MfaModule } from 'nestjs-genauth-mfa';
import { VaultController } from './vault.controller.js';
import { VaultMessages } from './vault.messages.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    MfaModule.forRootAsync({
      isGlobal: true,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        accessKeyId: config.getOrThrow<string>('GENAUTH_ACCESS_KEY_ID'),
        accessKeySecret: config.getOrThrow<string>('GENAUTH_ACCESS_KEY_SECRET'),
        host: config.get<string>('GENAUTH_HOST'),
      }),
    }),
  ],
  controllers: [VaultController, VaultMessages],
})
export class AppModule {}
