import { IsBoolean, ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';

function IsBooleanOrString(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBooleanOrString',
      validator: {
        validate: (value: unknown) => typeof value === 'boolean' || typeof value === 'string',
        defaultMessage: buildMessage((each) => `${each}$property must be a boolean or a string`, options),
      },
    },
    options,
  );
}

/** The `data` of get-user-mfa-info. Sources disagree on booleans vs `enabled`/`disabled`; both are read. */
export class UserMfaInfoDto {
  /** TOTP binding: `true` or `'enabled'` when bound. */
  @IsBooleanOrString() totpStatus!: boolean | string;
  /** Face binding. */
  @IsBooleanOrString() faceMfaStatus!: boolean | string;
  /** SMS binding. */
  @IsBooleanOrString() smsMfaStatus!: boolean | string;
  /** E-mail binding. */
  @IsBooleanOrString() emailMfaStatus!: boolean | string;
}

/** The `data` of set-mfa-status. */
export class IsSuccessDto {
  /** Whether GenAuth stored the data. */
  @IsBoolean() success!: boolean;
}
