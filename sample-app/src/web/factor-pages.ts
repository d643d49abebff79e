import { MfaFactorException, type MfaSession } from 'nestjs-genauth-mfa';
import type { AuthUser } from '../auth/jwt-auth.guard.js';

/** A message the user can act on (wrong code, too many, too soon, not bound), for a page to show in place. */
export function messageOf(error: unknown): string | undefined {
  const status = error instanceof MfaFactorException ? error.getStatus() : 0;
  if (status !== 400 && status !== 429) return undefined;
  return ((error as MfaFactorException).getResponse() as { message: string }).message;
}

/** The GenAuth session of a page: the user's token from the sign-in; the record is kept under its hash. */
export function pageSession(user: AuthUser): MfaSession {
  return { accessToken: user.genauthToken ?? '', userId: user.id };
}
