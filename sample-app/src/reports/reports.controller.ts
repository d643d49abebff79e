import { Controller, Get, UseGuards } from '@nestjs/common';
import { MfaGuard, MfaPolicy, SkipMfa } from 'nestjs-genauth-mfa';
import { JwtAuthGuard } from '../auth/jwt-auth.guard.js';
import { ApiMfaResponses } from 'nestjs-genauth-mfa/swagger';
import { ApiBearerAuth } from '@nestjs/swagger';

/** A policy on the controller (EMAIL), one route overriding it and one exempt. */
@ApiBearerAuth()
@ApiMfaResponses()
@MfaPolicy('EMAIL')
@UseGuards(JwtAuthGuard, MfaGuard)
@Controller('reports')
export class ReportsController {
  /** Inherits the controller's EMAIL policy. */
  @Get('summary')
  summary() {
    return { report: 'summary', policy: 'EMAIL' };
  }

  /** Overrides it: FACE or TOTP. */
  @MfaPolicy({ anyOf: ['FACE', 'TOTP'] })
  @Get('audit')
  audit() {
    return { report: 'audit', policy: 'FACE or TOTP' };
  }

  /** Exempt from MFA (still needs a signed-in user). */
  @SkipMfa()
  @Get('status')
  status() {
    return { report: 'status', policy: 'none' };
  }
}
