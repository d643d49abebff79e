import { Controller, UseGuards } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { RequireMfaBound } from 'nestjs-genauth-mfa';

/** The same vault over a TCP microservice: the user comes from the message payload's `user`. */
@Controller()
export class VaultMessages {
  @UseGuards(RequireMfaBound('TOTP'))
  @MessagePattern('vault.totp')
  secret(): { secret: string } {
    return { secret: 'behind TOTP' };
  }
}
