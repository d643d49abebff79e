import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { MfaManagementService } from 'nestjs-genauth-mfa';
import { JwtAuthGuard, type AuthUser } from '../auth/jwt-auth.guard.js';

/** The signed-in user and what they have bound, read through MfaManagementService. */
@UseGuards(JwtAuthGuard)
@Controller('me')
export class AccountController {
  constructor(private readonly mfa: MfaManagementService) {}

  @Get()
  async me(@Req() request: { user: AuthUser }) {
    const { bound, boundFactors } = await this.mfa.getUserMfaInfo({ userId: request.user.id });
    return { userId: request.user.id, roles: request.user.roles, mfa: { bound, boundFactors } };
  }
}
