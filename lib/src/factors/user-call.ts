import type { GenAuthHttpClient } from '../client/genauth-http.client.js';
import type { GenAuthCallSite } from '../errors/genauth.errors.js';
import { MfaOptionsError } from '../errors/mfa-options.error.js';
import { mfaSessionKey } from '../verifications/session-key.js';
import type { CodeTrier } from './code-attempts.js';
import { subjectOf, userFacing } from './factor-errors.js';
import { MfaSessionExpiredException } from './factor.exceptions.js';
import type { MfaSession } from './factor.types.js';

/** A call site of the Authentication API (`/api/v3/<endpoint>`). */
export const userSite = (method: 'GET' | 'POST', endpoint: string): GenAuthCallSite => ({
  method,
  path: `/api/v3/${endpoint}`,
});

/** The session the verification record and the limits are kept under. */
export function sessionKeyOf(session: MfaSession): string {
  return session.sessionKey ?? mfaSessionKey(session.accessToken);
}

/** Who tries a code or a passkey: the session, and its user. A session without a token is a 401. */
export function trierOf(session: MfaSession): CodeTrier {
  if (typeof session?.accessToken !== 'string' || session.accessToken === '') throw new MfaSessionExpiredException();
  return { sessionKey: sessionKeyOf(session), userId: session.userId ?? subjectOf(session.accessToken) };
}

/** Calls the Authentication API as the user; failures become what the user can act on (`userFacing`). */
export async function callAsUser(
  client: GenAuthHttpClient,
  appId: string | undefined,
  at: GenAuthCallSite,
  params: Record<string, unknown>,
  session: MfaSession,
): Promise<unknown> {
  if (!appId) throw new MfaOptionsError('appId', 'the user-side services call the application: set appId');
  if (typeof session?.accessToken !== 'string' || session.accessToken === '') throw new MfaSessionExpiredException();
  try {
    return await client.call(at.method as 'GET' | 'POST', at.path, params, { token: session.accessToken });
  } catch (error) {
    throw userFacing(error);
  }
}
