import { Body, Controller, Param, Put, UseGuards } from '@nestjs/common';
import { MfaManagementService, RequireMfaBound } from 'nestjs-genauth-mfa';
import { AdminGuard } from '../auth/admin.guard.js';
import { JwtAuthGuard } from '../auth/jwt-auth.guard.js';
import { UpdateMfaStatusBody } from './update-mfa-status.body.js';
import { ApiMfaResponses } from 'nestjs-genauth-mfa/swagger';
import { ApiBearerAuth } from '@nestjs/swagger';

/** Admins (who must have TOTP bound) change users' MFA status; the guard sees the change at once. */
@ApiBearerAuth()
@ApiMfaResponses()
@UseGuards(JwtAuthGuard, AdminGuard, RequireMfaBound('TOTP'))
@Controller('admin/users')
export class AdminController {
  constructor(private readonly mfa: MfaManagementService) {}

  @Put(':userId/mfa-status')
  async update(@Param('userId') userId: string, @Body() body: UpdateMfaStatusBody) {
    const current = await this.mfa.getUserMfaStatus({ userId });
    await this.mfa.setUsersMfaStatus({
      userId,
      mfaTriggerData: { mfaToken: current.mfaToken, applicationMfa: current.applicationMfa, ...body },
    });
    const { boundFactors } = await this.mfa.getUserMfaInfo({ userId });
    return { userId, boundFactors };
  }
}
