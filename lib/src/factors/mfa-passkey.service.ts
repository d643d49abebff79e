import { Inject, Injectable } from '@nestjs/common';
import { GenAuthHttpClient } from '../client/genauth-http.client.js';
import type { MfaServiceSettings } from '../contracts/settings.js';
import { MFA_SERVICE_SETTINGS, MFA_STEP_UP_SETTINGS } from '../contracts/tokens.js';
import type { MfaStepUpSettings } from '../contracts/verification.js';
import type { GenAuthCallSite } from '../errors/genauth.errors.js';
import { MfaVerifications } from '../verifications/mfa-verifications.js';
import { CodeAttempts } from './code-attempts.js';
import { enrolledFactors } from './factor-answers.js';
import { userFacing } from './factor-errors.js';
import {
  MfaCodeRejectedException,
  MfaFactorRequestRejectedException,
  MfaPasskeyRejectedException,
  MfaVerificationRequiredException,
} from './factor.exceptions.js';
import type { MfaPasskeyCeremony, MfaPasskeyKind, MfaPasskeyProof, MfaSession } from './factor.types.js';
import { assertionVerified, ceremonyOf, checkProof, registered } from './passkey-answers.js';
import { callAsUser, sessionKeyOf, trierOf, userSite } from './user-call.js';

const REGISTRATION = { get: userSite('GET', 'webauthn/registration'), post: userSite('POST', 'webauthn/registration') };
const AUTHENTICATION = {
  get: userSite('GET', 'webauthn/authentication'),
  post: userSite('POST', 'webauthn/authentication'),
};
const LIST_ENROLLED = userSite('GET', 'list-enrolled-factors');
const KINDS: readonly MfaPasskeyKind[] = ['FINGERPRINT', 'FACE', 'OTHER'];
/** How recent a verification must be for the session to add a passkey. */
const REGISTER_WITHIN_MS = 5 * 60_000;
/** How long the library vouches for a passkey registered through it: then the user registers it again. */
const VOUCHED_MS = 400 * 24 * 3600_000;

/**
 * Passkeys (WebAuthn) on GenAuth's Authentication API, for the signed-in user: register one, and step up
 * with one. GenAuth runs the ceremonies (`/api/v3/webauthn/registration`, `/authentication`); the browser
 * answers the options (`@simplewebauthn/browser`, or `navigator.credentials` with WebAuthn's JSON).
 *
 * A verified passkey is recorded for the session as the factors `stepUp.passkeyProves` names (default
 * TOTP), which step-up routes read. Because anyone holding the user's GenAuth token could register a
 * passkey with GenAuth directly, a passkey counts only when it was registered through this service, while
 * the session had verified a factor the user holds in the last five minutes (or the user holds none);
 * the library keeps which passkeys it vouches for in the attempts' store (Redis across replicas and
 * restarts; memory forgets them on restart, and users register again). Refused answers count as wrong
 * codes do (five per session, ten per user in five minutes).
 */
@Injectable()
export class MfaPasskeyService {
  /** @internal Nest creates it. */
  constructor(
    private readonly client: GenAuthHttpClient,
    private readonly verifications: MfaVerifications,
    private readonly attempts: CodeAttempts,
    @Inject(MFA_SERVICE_SETTINGS) private readonly settings: MfaServiceSettings,
    @Inject(MFA_STEP_UP_SETTINGS) private readonly stepUp: MfaStepUpSettings,
  ) {}

  /**
   * Starts registering a passkey: the options for `navigator.credentials.create`. A user who holds a factor
   * must have verified one in this session within five minutes (403 `MFA_VERIFICATION_REQUIRED` otherwise).
   */
  async registrationOptions(session: MfaSession): Promise<MfaPasskeyCeremony> {
    trierOf(session);
    const held = enrolledFactors(LIST_ENROLLED, await this.call(LIST_ENROLLED, {}, session)).map((f) => f.factor);
    if (held.length > 0) {
      const times = await this.verifications.sessionVerifications(sessionKeyOf(session));
      const since = Date.now() - REGISTER_WITHIN_MS;
      if (!Object.values(times).some((at) => at !== undefined && at >= since)) {
        throw new MfaVerificationRequiredException([...new Set(held)], REGISTER_WITHIN_MS / 1000);
      }
    }
    return this.answer(REGISTRATION.get, {}, session, (data) =>
      ceremonyOf(REGISTRATION.get, data, 'registrationOptions'),
    );
  }

  /** Completes a registration with the browser's answer; the library vouches for the passkey from now on. */
  async register(session: MfaSession, proof: MfaPasskeyProof & { readonly kind?: MfaPasskeyKind }): Promise<void> {
    const who = trierOf(session);
    const checked = checkProof(proof, 'registration');
    const kind = proof.kind ?? 'OTHER';
    if (!KINDS.includes(kind)) throw new MfaFactorRequestRejectedException(`kind must be ${KINDS.join(', ')}`, 'kind');
    if (!who.userId) throw new MfaFactorRequestRejectedException('the session names no user (a token without sub)');
    const params = { ticket: checked.ticket, registrationCredential: checked.credential, authenticatorCode: kind };
    await this.attempts.refuseWhileLocked(who);
    const taken = await this.refusable(() =>
      this.answer(REGISTRATION.post, params, session, (data) => registered(REGISTRATION.post, data)),
    );
    if (!taken) throw await this.rejected(who, 'GenAuth did not register it');
    await this.attempts.vouch(vouchKey(who.userId, checked.credential['id'] as string), VOUCHED_MS);
  }

  /** Starts a step-up by passkey: the options for `navigator.credentials.get`. */
  async authenticationOptions(session: MfaSession): Promise<MfaPasskeyCeremony> {
    trierOf(session);
    return this.answer(AUTHENTICATION.get, {}, session, (data) =>
      ceremonyOf(AUTHENTICATION.get, data, 'authenticationOptions'),
    );
  }

  /**
   * Steps up with the browser's answer: GenAuth checks the assertion, the library that it vouches for the
   * passkey; then the session has verified `stepUp.passkeyProves` now.
   */
  async verify(session: MfaSession, proof: MfaPasskeyProof): Promise<void> {
    const who = trierOf(session);
    const checked = checkProof(proof, 'authentication');
    await this.attempts.refuseWhileLocked(who);
    const params = { ticket: checked.ticket, authenticationCredential: checked.credential };
    const right = await this.refusable(() =>
      this.answer(AUTHENTICATION.post, params, session, (data) => assertionVerified(AUTHENTICATION.post, data)),
    );
    if (!right) throw await this.rejected(who, 'GenAuth did not verify it');
    const key = who.userId === undefined ? undefined : vouchKey(who.userId, checked.credential['id'] as string);
    if (key === undefined || !(await this.attempts.vouched(key))) {
      throw await this.rejected(who, 'this passkey was not registered through this app');
    }
    const sessionKey = sessionKeyOf(session);
    const at = Date.now();
    for (const factor of this.stepUp.passkeyProves) await this.verifications.recordVerification(sessionKey, factor, at);
  }

  /** GenAuth's refusal of a credential is a wrong answer, not an error page. */
  private async refusable(run: () => Promise<boolean>): Promise<boolean> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof MfaFactorRequestRejectedException || error instanceof MfaCodeRejectedException) return false;
      throw error;
    }
  }

  /** Counts a refused answer: a 400 `MFA_PASSKEY_REJECTED` with the tries left, or the 429 once none are. */
  private async rejected(who: ReturnType<typeof trierOf>, reason: string): Promise<Error> {
    const answer = await this.attempts.wrong(who);
    return answer instanceof MfaCodeRejectedException
      ? new MfaPasskeyRejectedException(answer.triesLeft, reason)
      : answer;
  }

  private async answer<T>(
    at: GenAuthCallSite,
    params: Record<string, unknown>,
    session: MfaSession,
    read: (data: unknown) => T,
  ): Promise<T> {
    const data = await this.call(at, params, session);
    try {
      return read(data);
    } catch (error) {
      throw userFacing(error);
    }
  }

  private call(at: GenAuthCallSite, params: Record<string, unknown>, session: MfaSession): Promise<unknown> {
    return callAsUser(this.client, this.settings.appId, at, params, session);
  }
}

/** The attempts' store key of a passkey the library vouches for (ids are base64url; users' ids are GenAuth's). */
function vouchKey(userId: string, credentialId: string): string {
  return `passkey:${userId}:${credentialId}`;
}
