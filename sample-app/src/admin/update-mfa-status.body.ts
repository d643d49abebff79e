import { IsBoolean, IsEmail, IsOptional, Matches, ValidateIf } from 'class-validator';

/** What an admin may change of a user's MFA status. Omitted fields keep their value; null unbinds. */
export class UpdateMfaStatusBody {
  @IsOptional()
  @IsBoolean()
  totpMfaEnabled?: boolean;

  @IsOptional()
  @IsBoolean()
  faceMfaEnabled?: boolean;

  /** Phone bound for SMS MFA, `+<digits>`; null unbinds SMS. */
  @ValidateIf((_body, value) => value !== null && value !== undefined)
  @Matches(/^\+\d{6,15}$/, { message: 'mfaPhone must look like +8613800000000' })
  mfaPhone?: string | null;

  /** E-mail bound for EMAIL MFA; null unbinds EMAIL. */
  @ValidateIf((_body, value) => value !== null && value !== undefined)
  @IsEmail()
  mfaEmail?: string | null;
}
