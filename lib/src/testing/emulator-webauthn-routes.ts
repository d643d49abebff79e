import { error, ok, type Answer, type RouteContext } from './emulator-route-context.js';
import { COSE } from './webauthn-data.js';
import { PasskeyRefused, TICKET_TTL_MS } from './emulator-passkeys.js';
import { USER_API_CODES } from './emulator-user-side.js';

/** `authenticatorCode` of a registration, as GenAuth's SDKs list it. */
const AUTHENTICATOR_CODES = ['FINGERPRINT', 'FACE', 'OTHER'];

const descriptors = (ids: string[]) => ids.map((id) => ({ id, type: 'public-key' }));

/** `GET webauthn/registration`: a ticket and `PublicKeyCredentialCreationOptionsJSON` for the signed-in user. */
function registrationOptions({ user, userSide, now }: RouteContext): Answer {
  const { passkeys } = userSide;
  const userId = user!.profile.userId;
  const { ticket, challenge } = passkeys.open('registration', userId, now);
  const name = user!.profile.username ?? user!.profile.email ?? userId;
  return ok({
    ticket,
    registrationOptions: {
      rp: { id: passkeys.relyingParty.rpId, name: passkeys.relyingParty.rpName },
      user: { id: Buffer.from(userId).toString('base64url'), name, displayName: name },
      challenge,
      pubKeyCredParams: [{ type: 'public-key', alg: COSE.ES256 }],
      timeout: TICKET_TTL_MS,
      attestation: 'none',
      excludeCredentials: descriptors(passkeys.idsOf(userId)),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
    },
  });
}

/** `GET webauthn/authentication`: a ticket and `PublicKeyCredentialRequestOptionsJSON` for the user's passkeys. */
function authenticationOptions({ user, userSide, now }: RouteContext): Answer {
  const { passkeys } = userSide;
  const userId = user!.profile.userId;
  const { ticket, challenge } = passkeys.open('authentication', userId, now);
  return ok({
    ticket,
    authenticationOptions: {
      challenge,
      rpId: passkeys.relyingParty.rpId,
      allowCredentials: descriptors(passkeys.idsOf(userId)),
      userVerification: 'preferred',
      timeout: TICKET_TTL_MS,
    },
  });
}

/** Runs a check; a refused credential is a business error naming why. */
function refusable(check: () => object): Answer {
  try {
    return ok(check());
  } catch (failure) {
    if (failure instanceof PasskeyRefused) return error(400, USER_API_CODES.PASSKEY_REFUSED, failure.message);
    throw failure;
  }
}

/** `POST webauthn/registration`: `{ ticket, registrationCredential, authenticatorCode? }`. */
function verifyRegistration({ params, user, userSide, now }: RouteContext): Answer {
  const code = params['authenticatorCode'] ?? 'OTHER';
  if (typeof code !== 'string' || !AUTHENTICATOR_CODES.includes(code)) {
    return error(400, 400, `authenticatorCode must be one of ${AUTHENTICATOR_CODES.join(', ')}`);
  }
  const userId = user!.profile.userId;
  return refusable(() => {
    const credentialId = userSide.passkeys.register(
      userId,
      params['ticket'],
      params['registrationCredential'],
      code,
      now,
    );
    return { success: true, credentialId };
  });
}

/** `POST webauthn/authentication`: `{ ticket, authenticationCredential }`. */
function verifyAuthentication({ params, user, userSide, now }: RouteContext): Answer {
  const userId = user!.profile.userId;
  return refusable(() => {
    const credentialId = userSide.passkeys.authenticate(
      userId,
      params['ticket'],
      params['authenticationCredential'],
      now,
    );
    return { verified: true, credentialId };
  });
}

/**
 * The Authentication API's WebAuthn routes, as GenAuth's SDKs call them (paths, methods and request bodies);
 * the answers' `data` shapes are inferred. The emulator asks for a signed-in user on both ceremonies.
 */
export const WEBAUTHN_ROUTES = {
  'GET webauthn/registration': { auth: 'user', handle: registrationOptions },
  'POST webauthn/registration': { auth: 'user', handle: verifyRegistration },
  'GET webauthn/authentication': { auth: 'user', handle: authenticationOptions },
  'POST webauthn/authentication': { auth: 'user', handle: verifyAuthentication },
} as const;
