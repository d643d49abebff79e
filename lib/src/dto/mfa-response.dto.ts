import { IsBoolean, ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';
import { BINDING_VALUES } from '../checks/user-mfa-info.check.js';

// Any other value is an answer the library cannot read, never a guess at "bound" or "not bound".
function IsBindingStatus(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isBindingStatus',
      validator: {
        validate: (value: unknown) => BINDING_VALUES.includes(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be true, false, 'enabled' or 'disabled'`,
          options,
        ),
      },
    },
    options,
  );
}

/** The `data` of get-user-mfa-info. Sources disagree on booleans vs `enabled`/`disabled`; both are read. */
export class UserMfaInfoDto {
  /** TOTP binding: `true` or `'enabled'` when bound. */
  @IsBindingStatus() totpStatus!: boolean | string;
  /** Face binding. */
  @IsBindingStatus() faceMfaStatus!: boolean | string;
  /** SMS binding. */
  @IsBindingStatus() smsMfaStatus!: boolean | string;
  /** E-mail binding. */
  @IsBindingStatus() emailMfaStatus!: boolean | string;
}

/** The `data` of set-mfa-status. */
export class IsSuccessDto {
  /** Whether GenAuth stored the data. */
  @IsBoolean() success!: boolean;
}
