import { Body, Controller, ForbiddenException, Inject, Post } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { IsNotEmpty, IsString } from 'class-validator';
import { SAMPLE_CONFIG } from '../config/config.tokens.js';
import type { SampleConfig } from '../config/sample.config.js';
import { DEMO_USERS, demoRoles } from '../demo/demo-seed.js';

class DemoTokenBody {
  @IsString()
  @IsNotEmpty()
  userId!: string;
}

/** DEMO ONLY: issues a token without a password. A real app signs users in through GenAuth. */
@Controller('auth')
export class AuthController {
  constructor(
    private readonly jwt: JwtService,
    @Inject(SAMPLE_CONFIG) private readonly config: SampleConfig,
  ) {}

  @Post('demo-token')
  async demoToken(@Body() body: DemoTokenBody): Promise<{ accessToken: string }> {
    if (!this.config.demoTokens) throw new ForbiddenException('Demo tokens are off (set ALLOW_DEMO_TOKENS=true)');
    if (this.config.mode === 'emulator' && !DEMO_USERS.some((user) => user.userId === body.userId)) {
      throw new ForbiddenException(`No demo user ${body.userId}; try ${DEMO_USERS.map((u) => u.userId).join(', ')}`);
    }
    return { accessToken: await this.jwt.signAsync({ sub: body.userId, roles: demoRoles(body.userId) }) };
  }
}
