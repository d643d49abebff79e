import { Module } from '@nestjs/common';
import { MfaModule } from 'nestjs-genauth-mfa';
import { VaultController } from './vault.controller.js';
import { VaultMessages } from './vault.messages.js';

@Module({
  imports: [
    MfaModule.forRoot({
      accessKeyId: process.env.GENAUTH_ACCESS_KEY_ID ?? '',
      accessKeySecret: process.env.GENAUTH_ACCESS_KEY_SECRET ?? '',
      host: process.env.GENAUTH_HOST,
    }),
  ],
  controllers: [VaultController, VaultMessages],
})
export class AppModule {}
