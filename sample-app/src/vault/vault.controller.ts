import { Controller, Get, UseGuards } from '@nestjs/common';
import { RequireMfaBound } from 'nestjs-genauth-mfa';
import { ApiMfaResponses } from 'nestjs-genauth-mfa/swagger';
import { ApiBearerAuth } from '@nestjs/swagger';
import { JwtAuthGuard } from '../auth/jwt-auth.guard.js';

/** One policy per route, given straight to the guard. The JWT guard runs first and sets `request.user`. */
@ApiBearerAuth()
@ApiMfaResponses()
@UseGuards(JwtAuthGuard)
@Controller('vault')
export class VaultController {
  /** Only users with TOTP bound. */
  @UseGuards(RequireMfaBound('TOTP'))
  @Get('totp')
  totp() {
    return { secret: 'needs TOTP' };
  }

  /** Users with SMS or FACE bound. */
  @UseGuards(RequireMfaBound({ anyOf: ['SMS', 'FACE'] }))
  @Get('any-of')
  anyOf() {
    return { secret: 'needs SMS or FACE' };
  }

  /** Users with both SMS and EMAIL bound. */
  @UseGuards(RequireMfaBound({ allOf: ['SMS', 'EMAIL'] }))
  @Get('all-of')
  allOf() {
    return { secret: 'needs SMS and EMAIL' };
  }
}
