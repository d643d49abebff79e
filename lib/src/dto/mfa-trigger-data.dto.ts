import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, ValidateNested } from 'class-validator';

/** One MFA factor of an application: `mfaPolicy` (`SMS`, `EMAIL`, `OTP`/`TOTP`, `FACE`, ...), `status`, `sort`. */
export class ApplicationMfaDto {
  /** The factor. The library reports `OTP` as `TOTP`; either is accepted on input. */
  @IsString()
  @IsNotEmpty()
  mfaPolicy!: string;

  /** 1 enabled, 0 disabled. */
  @IsInt()
  @IsIn([0, 1])
  status!: number;

  /** Preferred order, ascending. Some GenAuth answers omit it. */
  @IsOptional()
  @IsInt()
  sort?: number;
}

/** A user's MFA trigger data (seeds 001-004): the bound contacts and the application's factors. */
export class MfaTriggerDataDto {
  /** Short-lived token for the authentication-side MFA verify endpoints. Treat it as a secret. */
  @IsString()
  mfaToken!: string;

  /** The application's factors (an answer with a single object is read as a list of one). */
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ApplicationMfaDto)
  applicationMfa!: ApplicationMfaDto[];

  /** Phone number bound for SMS MFA. */
  @IsOptional() @IsString() mfaPhone?: string | null;
  /** Country code of `mfaPhone`. */
  @IsOptional() @IsString() mfaPhoneCountryCode?: string | null;
  /** E-mail address bound for EMAIL MFA. */
  @IsOptional() @IsString() mfaEmail?: string | null;
  /** The user's nickname. */
  @IsOptional() @IsString() nickname?: string | null;
  /** The user's username. */
  @IsOptional() @IsString() username?: string | null;
  /** The user's phone number. */
  @IsOptional() @IsString() phone?: string | null;
  /** Country code of `phone`. */
  @IsOptional() @IsString() phoneCountryCode?: string | null;
  /** Whether face MFA is bound. */
  @IsOptional() @IsBoolean() faceMfaEnabled?: boolean | null;
  /** Whether TOTP is bound. */
  @IsOptional() @IsBoolean() totpMfaEnabled?: boolean | null;
}
