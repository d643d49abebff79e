/** The validated options of `GenAuthAuthModule`. @internal */
export const GENAUTH_AUTH_SETTINGS = Symbol('GENAUTH_AUTH_SETTINGS');
