import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { encodeCbor, type CborValue } from './cbor.js';
import { COSE, FLAG, sha256 } from './webauthn-data.js';

/** A credential descriptor of WebAuthn's JSON options. */
export interface PasskeyDescriptorJSON {
  readonly id: string;
  /** `public-key` (the only type WebAuthn defines). */
  readonly type: string;
}

/** The creation options a server sends (`PublicKeyCredentialCreationOptionsJSON`), the parts read here. */
export interface PasskeyCreationOptionsJSON {
  readonly rp: { readonly id?: string; readonly name: string };
  readonly user: { readonly id: string; readonly name: string; readonly displayName: string };
  readonly challenge: string;
  readonly pubKeyCredParams: readonly { readonly type: string; readonly alg: number }[];
  readonly excludeCredentials?: readonly PasskeyDescriptorJSON[];
}

/** The request options a server sends (`PublicKeyCredentialRequestOptionsJSON`), the parts read here. */
export interface PasskeyRequestOptionsJSON {
  readonly challenge: string;
  readonly rpId?: string;
  readonly allowCredentials?: readonly PasskeyDescriptorJSON[];
}

/** A registration response, as `@simplewebauthn/browser`'s `startRegistration` resolves it. */
export interface PasskeyRegistrationJSON {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; attestationObject: string; transports: string[] };
  clientExtensionResults: Record<string, never>;
  authenticatorAttachment: 'platform';
}

/** An authentication response, as `@simplewebauthn/browser`'s `startAuthentication` resolves it. */
export interface PasskeyAuthenticationJSON {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle: string };
  clientExtensionResults: Record<string, never>;
  authenticatorAttachment: 'platform';
}

interface HeldKey {
  readonly privateKey: KeyObject;
  readonly rpId: string;
  readonly userHandle: string;
  counter: number;
}

/**
 * A passkey authenticator in memory, for tests: it answers WebAuthn options as a browser and a platform
 * authenticator would (ES256 keys, attestation `none`, a counter per credential), producing the JSON that
 * `@simplewebauthn/browser` produces, so that a test can register a passkey with the emulator (or GenAuth)
 * and sign in or step up with it without a browser.
 * @example
 * ```ts
 * const authenticator = new SoftwareAuthenticator({ origin: 'http://localhost:3000' });
 * const credential = authenticator.createCredential(options.registrationOptions);
 * ```
 */
export class SoftwareAuthenticator {
  private readonly keys = new Map<string, HeldKey>();
  private readonly origin: string;
  private readonly userVerified: boolean;

  /**
   * @param options.origin - the page origin it claims in client data (default `http://localhost`)
   * @param options.userVerified - whether it reports user verification (the UV flag); default true
   */
  constructor(options: { origin?: string; userVerified?: boolean } = {}) {
    this.origin = options.origin ?? 'http://localhost';
    this.userVerified = options.userVerified ?? true;
  }

  /** The ids of the credentials it holds, oldest first. */
  get credentialIds(): string[] {
    return [...this.keys.keys()];
  }

  /** Creates a credential for the options (`navigator.credentials.create`). */
  createCredential(options: PasskeyCreationOptionsJSON, origin = this.origin): PasskeyRegistrationJSON {
    if (!options.pubKeyCredParams.some((param) => param.alg === COSE.ES256)) {
      throw new Error('SoftwareAuthenticator makes ES256 keys only, which the options do not allow');
    }
    const rpId = options.rp.id ?? new URL(origin).hostname;
    if (options.excludeCredentials?.some((excluded) => this.keys.has(excluded.id))) {
      throw new Error('SoftwareAuthenticator holds a credential the options exclude (InvalidStateError)');
    }
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const id = randomBytes(16);
    const cose = new Map<CborValue, CborValue>([
      [COSE.KTY, COSE.EC2],
      [COSE.ALG, COSE.ES256],
      [COSE.CRV, COSE.P256],
      [COSE.X, Buffer.from(jwk.x!, 'base64url')],
      [COSE.Y, Buffer.from(jwk.y!, 'base64url')],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      this.authenticatorData(rpId, FLAG.AT, 0),
      Buffer.alloc(16), // AAGUID: zero, as attestation 'none' reports it
      idLength,
      id,
      encodeCbor(cose),
    ]);
    const attestationObject = encodeCbor(
      new Map<CborValue, CborValue>([
        ['fmt', 'none'],
        ['attStmt', new Map<CborValue, CborValue>()],
        ['authData', authData],
      ]),
    );
    const credentialId = id.toString('base64url');
    this.keys.set(credentialId, { privateKey, rpId, userHandle: options.user.id, counter: 0 });
    return {
      id: credentialId,
      rawId: credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: this.clientData('webauthn.create', options.challenge, origin),
        attestationObject: Buffer.from(attestationObject).toString('base64url'),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** Signs the options' challenge with a credential they allow (`navigator.credentials.get`). */
  getAssertion(options: PasskeyRequestOptionsJSON, origin = this.origin): PasskeyAuthenticationJSON {
    const rpId = options.rpId ?? new URL(origin).hostname;
    const allowed = options.allowCredentials?.length ? options.allowCredentials.map((d) => d.id) : this.credentialIds;
    const credentialId = allowed.find((id) => this.keys.get(id)?.rpId === rpId);
    if (credentialId === undefined)
      throw new Error(`SoftwareAuthenticator holds no credential for ${rpId} that is allowed`);
    const key = this.keys.get(credentialId)!;
    key.counter += 1;
    const authenticatorData = this.authenticatorData(rpId, 0, key.counter);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, origin);
    const signed = Buffer.concat([authenticatorData, sha256(Buffer.from(clientDataJSON, 'base64url'))]);
    return {
      id: credentialId,
      rawId: credentialId,
      type: 'public-key',
      response: {
        clientDataJSON,
        authenticatorData: authenticatorData.toString('base64url'),
        signature: sign('sha256', signed, { key: key.privateKey, dsaEncoding: 'der' }).toString('base64url'),
        userHandle: key.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** Sets a credential's signature counter (to test a cloned authenticator, whose counter lags). */
  setCounter(credentialId: string, counter: number): void {
    const key = this.keys.get(credentialId);
    if (!key) throw new Error(`SoftwareAuthenticator holds no credential ${credentialId}`);
    key.counter = counter;
  }

  private authenticatorData(rpId: string, extraFlags: number, counter: number): Buffer {
    const head = Buffer.alloc(37);
    sha256(rpId).copy(head, 0);
    head[32] = FLAG.UP | (this.userVerified ? FLAG.UV : 0) | extraFlags;
    head.writeUInt32BE(counter, 33);
    return head;
  }

  private clientData(type: string, challenge: string, origin: string): string {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false })).toString('base64url');
  }
}
