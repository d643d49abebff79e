import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** The sign-in form: a GenAuth account and password, and where to go afterwards. */
export class SignInForm {
  @IsString() @IsNotEmpty() @MaxLength(320) account!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) password!: string;
  @IsOptional() @IsString() @MaxLength(2048) returnTo?: string;
}

/** The enrollment form: the enrollment under way (its token and QR URI) and the code the user read. */
export class EnrollForm {
  @IsString() @IsNotEmpty() @MaxLength(2048) enrollmentToken!: string;
  @IsString() @Matches(/^otpauth:\/\/totp\//) @MaxLength(2048) uri!: string;
  @IsString() @MaxLength(16) code!: string;
  @IsOptional() @IsString() @MaxLength(2048) returnTo?: string;
}

/** The verify form: the factor (TOTP by default), the code, and where to go back to. */
export class VerifyForm {
  @IsOptional() @IsIn(['TOTP', 'SMS', 'EMAIL']) factor?: 'TOTP' | 'SMS' | 'EMAIL';
  @IsString() @MaxLength(16) code!: string;
  @IsOptional() @IsString() @MaxLength(2048) returnTo?: string;
}

/** The send form: which factor gets a code (to what the user bound), and where to go back to. */
export class SendCodeForm {
  @IsIn(['SMS', 'EMAIL']) factor!: 'SMS' | 'EMAIL';
  @IsOptional() @IsString() @MaxLength(2048) returnTo?: string;
}
