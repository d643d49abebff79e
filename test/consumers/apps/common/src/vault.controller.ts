import { Controller, Get, UseGuards } from '@nestjs/common';
import { RequireMfaBound } from 'nestjs-genauth-mfa';
import { HeaderUserGuard } from './header-user.guard.js';

@UseGuards(HeaderUserGuard)
@Controller('vault')
export class VaultController {
  @Get('public')
  open(): { open: true } {
    return { open: true };
  }

  @UseGuards(RequireMfaBound('TOTP'))
  @Get('totp')
  secret(): { secret: string } {
    return { secret: 'behind TOTP' };
  }
}
