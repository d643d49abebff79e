import { randomBytes, verify, type KeyObject } from 'node:crypto';
import { CborError, decodeCbor } from './cbor.js';
import { FLAG, parseAuthenticatorData, sha256 } from './webauthn-data.js';

/** Where passkeys of the emulator are valid: the relying party's id, and the page origins it accepts. */
export interface EmulatorRelyingParty {
  /** Default `localhost` (a browser refuses an IP address as an RP id). */
  readonly rpId: string;
  readonly rpName: string;
  /** Origins accepted in client data; default every https origin on `rpId` or under it, and http://localhost. */
  readonly origins: readonly string[] | undefined;
}

/** How long a registration or authentication ticket lasts (GenAuth does not document it). */
export const TICKET_TTL_MS = 5 * 60_000;

interface Ticket {
  readonly kind: 'registration' | 'authentication';
  readonly userId: string;
  readonly challenge: string;
  readonly expiresAt: number;
}

/** A registered passkey: whose, its key, the last signature counter it sent. */
export interface StoredPasskey {
  readonly userId: string;
  readonly publicKey: KeyObject;
  signCount: number;
  readonly authenticatorCode: string;
  readonly createdAt: number;
}

/** A credential the emulator refuses, with why (answered as a business error, never a 500). */
export class PasskeyRefused extends Error {}

const b64url = (value: unknown, what: string): Buffer => {
  if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value))
    throw new PasskeyRefused(`${what} is not base64url`);
  return Buffer.from(value, 'base64url');
};

const record = (value: unknown, what: string): Record<string, unknown> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new PasskeyRefused(`${what} is required`);
  return value as Record<string, unknown>;
};

/** The emulator's passkeys: tickets under way (each used once) and registered credentials, by id. */
export class EmulatorPasskeys {
  relyingParty: EmulatorRelyingParty = { rpId: 'localhost', rpName: 'GenAuth emulator', origins: undefined };
  private readonly tickets = new Map<string, Ticket>();
  readonly credentials = new Map<string, StoredPasskey>();

  /** A new ticket and its challenge, for one ceremony of `userId`. */
  open(kind: Ticket['kind'], userId: string, now: number): { ticket: string; challenge: string } {
    for (const [id, old] of this.tickets) if (old.expiresAt <= now) this.tickets.delete(id);
    const ticket = randomBytes(16).toString('hex');
    const challenge = randomBytes(32).toString('base64url');
    this.tickets.set(ticket, { kind, userId, challenge, expiresAt: now + TICKET_TTL_MS });
    return { ticket, challenge };
  }

  /** The credential ids of a user, oldest first. */
  idsOf(userId: string): string[] {
    return [...this.credentials].filter(([, stored]) => stored.userId === userId).map(([id]) => id);
  }

  /** Checks a registration response (attestation `none`) and stores the passkey; returns its id. */
  register(userId: string, ticketId: unknown, credential: unknown, authenticatorCode: string, now: number): string {
    const ticket = this.take('registration', userId, ticketId, now);
    const response = this.response(credential);
    this.clientData(response, 'webauthn.create', ticket);
    let attestation;
    try {
      attestation = decodeCbor(b64url(response['attestationObject'], 'response.attestationObject'));
    } catch (error) {
      throw refusedBy(error);
    }
    if (!(attestation instanceof Map) || !(attestation.get('authData') instanceof Uint8Array)) {
      throw new PasskeyRefused('the attestation object has no authData');
    }
    const attStmt = attestation.get('attStmt');
    if (attestation.get('fmt') !== 'none' || !(attStmt instanceof Map) || attStmt.size !== 0) {
      throw new PasskeyRefused("only attestation 'none' is accepted (the options ask for it)");
    }
    const data = this.authenticatorData(Buffer.from(attestation.get('authData') as Uint8Array));
    if (!data.credential) throw new PasskeyRefused('the authenticator data has no attested credential');
    const id = data.credential.id.toString('base64url');
    if (id !== (credential as Record<string, unknown>)['id'])
      throw new PasskeyRefused('id is not the attested credential');
    if (this.credentials.has(id)) throw new PasskeyRefused('this credential is registered already');
    this.credentials.set(id, {
      userId,
      publicKey: data.credential.publicKey,
      signCount: data.signCount,
      authenticatorCode,
      createdAt: now,
    });
    return id;
  }

  /** Checks an authentication response (an assertion) of one of the user's passkeys; returns its id. */
  authenticate(userId: string, ticketId: unknown, credential: unknown, now: number): string {
    const ticket = this.take('authentication', userId, ticketId, now);
    const response = this.response(credential);
    const id = (credential as Record<string, unknown>)['id'];
    const stored = typeof id === 'string' ? this.credentials.get(id) : undefined;
    if (!stored || stored.userId !== userId)
      throw new PasskeyRefused("the credential is not one of the user's passkeys");
    const rawClientData = this.clientData(response, 'webauthn.get', ticket);
    const authData = b64url(response['authenticatorData'], 'response.authenticatorData');
    const data = this.authenticatorData(authData);
    const userHandle = response['userHandle'];
    if (
      userHandle !== undefined &&
      userHandle !== null &&
      b64url(userHandle, 'response.userHandle').toString() !== userId
    ) {
      throw new PasskeyRefused('userHandle names another user');
    }
    const signed = Buffer.concat([authData, sha256(rawClientData)]);
    const signature = b64url(response['signature'], 'response.signature');
    let valid: boolean;
    try {
      valid = verify('sha256', signed, { key: stored.publicKey, dsaEncoding: 'der' }, signature);
    } catch {
      valid = false;
    }
    if (!valid) throw new PasskeyRefused('the signature does not verify');
    // A counter that does not grow means a cloned authenticator (WebAuthn §6.1.1); 0 and 0 means it keeps none.
    if ((data.signCount !== 0 || stored.signCount !== 0) && data.signCount <= stored.signCount) {
      throw new PasskeyRefused('the signature counter did not increase: the authenticator may be cloned');
    }
    stored.signCount = data.signCount;
    return id as string;
  }

  /** The ticket, used up whatever the outcome: a second try needs a new challenge. */
  private take(kind: Ticket['kind'], userId: string, ticketId: unknown, now: number): Ticket {
    const ticket = typeof ticketId === 'string' ? this.tickets.get(ticketId) : undefined;
    if (ticket) this.tickets.delete(ticketId as string);
    if (!ticket || ticket.kind !== kind || ticket.userId !== userId || ticket.expiresAt <= now) {
      throw new PasskeyRefused(`the ${kind} ticket is unknown, used, expired or another user's`);
    }
    return ticket;
  }

  private response(credential: unknown): Record<string, unknown> {
    const outer = record(credential, 'the credential');
    if (outer['type'] !== 'public-key') throw new PasskeyRefused("the credential's type must be public-key");
    if (typeof outer['id'] !== 'string' || outer['rawId'] !== outer['id']) {
      throw new PasskeyRefused('the credential needs an id equal to its rawId (base64url)');
    }
    return record(outer['response'], 'the credential response');
  }

  /** Checks client data (type, challenge, origin) and returns its bytes, which an assertion signs. */
  private clientData(response: Record<string, unknown>, type: string, ticket: Ticket): Buffer {
    const raw = b64url(response['clientDataJSON'], 'response.clientDataJSON');
    let parsed: Record<string, unknown>;
    try {
      parsed = record(JSON.parse(raw.toString('utf8')), 'clientDataJSON');
    } catch (error) {
      throw refusedBy(error);
    }
    if (parsed['type'] !== type) throw new PasskeyRefused(`clientDataJSON.type must be ${type}`);
    if (parsed['challenge'] !== ticket.challenge) throw new PasskeyRefused("the challenge is not the ticket's");
    if (parsed['crossOrigin'] === true) throw new PasskeyRefused('cross-origin ceremonies are refused');
    if (!this.originAllowed(parsed['origin']))
      throw new PasskeyRefused(`origin ${String(parsed['origin'])} is not allowed`);
    return raw;
  }

  private authenticatorData(bytes: Buffer) {
    let data;
    try {
      data = parseAuthenticatorData(bytes);
    } catch (error) {
      throw refusedBy(error);
    }
    if (!data.rpIdHash.equals(sha256(this.relyingParty.rpId))) throw new PasskeyRefused('rpIdHash is not the RP id');
    if ((data.flags & FLAG.UP) === 0) throw new PasskeyRefused('the user was not present (UP flag)');
    return data;
  }

  private originAllowed(origin: unknown): boolean {
    if (typeof origin !== 'string') return false;
    const { origins, rpId } = this.relyingParty;
    if (origins) return origins.includes(origin);
    try {
      const url = new URL(origin);
      const host = url.hostname;
      return (
        (url.protocol === 'https:' || (url.protocol === 'http:' && host === 'localhost')) &&
        url.origin === origin &&
        (host === rpId || host.endsWith(`.${rpId}`))
      );
    } catch {
      return false;
    }
  }
}

function refusedBy(error: unknown): PasskeyRefused {
  if (error instanceof PasskeyRefused) return error;
  if (error instanceof CborError || error instanceof SyntaxError || error instanceof TypeError) {
    return new PasskeyRefused(`malformed credential: ${error.message}`);
  }
  throw error;
}
