import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { USER_ID_MAX_LENGTH, USER_ID_TYPES, type UserIdType } from '../contracts/user-ref.js';
import { MfaTriggerDataDto } from './mfa-trigger-data.dto.js';

/** Arguments naming one user: `userId` and how to read it. */
export class MfaUserRefDto {
  /** The user's identifier, of the kind `userIdType` says. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(USER_ID_MAX_LENGTH)
  userId!: string;

  /** How GenAuth reads `userId`. Default: the module's `userIdType`. */
  @IsOptional()
  @IsIn(USER_ID_TYPES)
  userIdType?: UserIdType;
}

/** Arguments of `MfaManagementService.getMfaTriggerData`. */
export class GetMfaTriggerDataDto extends MfaUserRefDto {
  /** The application; the module's `appId` when omitted. */
  @IsString()
  @IsNotEmpty()
  appId!: string;
}

/** Arguments of `MfaManagementService.setUsersMfaStatus`. */
export class SetUsersMfaStatusDto extends MfaUserRefDto {
  /** The trigger data to store for the user. */
  @IsDefined()
  @ValidateNested()
  @Type(() => MfaTriggerDataDto)
  mfaTriggerData!: MfaTriggerDataDto;
}
