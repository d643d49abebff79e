import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { AdminGuard } from './admin.guard.js';
import { AuthController } from './auth.controller.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { GenAuthUsers } from '../genauth/genauth-users.js';

/** Identity as a real app has it: JSON Web Tokens. */
@Module({
  imports: [
    JwtModule.registerAsync({
      global: true,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        secret: config.getOrThrow<string>('sample.jwtSecret'),
        signOptions: { expiresIn: '1h' },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [JwtAuthGuard, AdminGuard, GenAuthUsers],
  exports: [JwtAuthGuard, AdminGuard, GenAuthUsers],
})
export class AuthModule {}
