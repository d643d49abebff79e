import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The enrollment page's form: where to go back to afterwards. */
export class EnrollFormBody {
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  returnTo?: string;
}
