import { randomBytes } from 'node:crypto';
import type { MfaFactor } from '../contracts/mfa-factor.js';
import type { EmulatorSeedApplication, EmulatorSeedUser } from './emulator-seed.js';
import { newTotpSecret } from './emulator-totp.js';

/** One `applicationMfa` entry as stored and sent (wire names: `OTP` for TOTP). */
export interface StoredApplicationMfa {
  mfaPolicy: string;
  status: number;
  sort?: number;
}

/**
 * The one MFA state of a user. Every read derives from it: TOTP bound ⇔ `totpMfaEnabled`,
 * FACE ⇔ `faceMfaEnabled`, SMS ⇔ a non-empty `mfaPhone`, EMAIL ⇔ a non-empty `mfaEmail`.
 */
export interface StoredTriggerData {
  mfaPhone: string | null;
  mfaPhoneCountryCode: string | null;
  mfaEmail: string | null;
  nickname: string | null;
  totpMfaEnabled: boolean;
  faceMfaEnabled: boolean;
  applicationMfa: StoredApplicationMfa[];
}

/** A user of the emulated pool. */
export interface EmulatedUser {
  readonly profile: Readonly<EmulatorSeedUser>;
  mfa: StoredTriggerData;
  /** The TOTP secret while TOTP is bound. */
  totpSecret: string | undefined;
  /** The last time step whose code was used: a code is good once. */
  lastTotpStep: number;
  /** When the user was added (ms): list-users sorts by it. */
  readonly createdAt: number;
  /** When the user last passed an MFA check (ms), as list-users reports `lastMfaTime`. */
  lastMfaTime: number | undefined;
}

/** Users and applications of the emulated pool, found by every `userIdType`. */
export class EmulatorState {
  private readonly users = new Map<string, EmulatedUser>();
  private readonly applications = new Map<string, EmulatorSeedApplication>();
  private lastCreatedAt = 0;

  addUser(profile: EmulatorSeedUser): EmulatedUser {
    // Strictly increasing, so that "oldest first" is the order users were added in.
    this.lastCreatedAt = Math.max(Date.now(), this.lastCreatedAt + 1);
    const user: EmulatedUser = {
      profile: { ...profile },
      mfa: emptyTriggerData(),
      totpSecret: undefined,
      lastTotpStep: 0,
      createdAt: this.lastCreatedAt,
      lastMfaTime: undefined,
    };
    // A replaced user moves to the end, as a new account would.
    this.users.delete(profile.userId);
    this.users.set(profile.userId, user);
    this.setBindings(profile.userId, profile.mfa ?? {});
    return user;
  }

  removeUser(userId: string): boolean {
    return this.users.delete(userId);
  }

  /** Binds (`true`) or unbinds (`false`) factors; factors not named keep their state. */
  setBindings(userId: string, bindings: Partial<Record<MfaFactor, boolean>>): void {
    const user = this.users.get(userId);
    if (!user) throw new Error(`emulator: no user ${userId}`);
    const { profile, mfa } = user;
    if (bindings.TOTP !== undefined)
      this.setTotp(user, bindings.TOTP ? (profile.totpSecret ?? newTotpSecret()) : undefined);
    if (bindings.FACE !== undefined) mfa.faceMfaEnabled = bindings.FACE;
    if (bindings.SMS !== undefined) {
      mfa.mfaPhone = bindings.SMS ? (profile.phone ?? `+86138${digitsOf(profile.userId)}`) : null;
      mfa.mfaPhoneCountryCode = bindings.SMS ? '+86' : null;
    }
    if (bindings.EMAIL !== undefined) {
      mfa.mfaEmail = bindings.EMAIL ? (profile.email ?? `${profile.userId}@example.test`) : null;
    }
  }

  /** Binds TOTP with a secret, or unbinds it (`undefined`). */
  setTotp(user: EmulatedUser, secret: string | undefined): void {
    user.mfa.totpMfaEnabled = secret !== undefined;
    user.totpSecret = secret;
    user.lastTotpStep = 0;
  }

  /** Every user, in the order they were added. */
  all(): IterableIterator<EmulatedUser> {
    return this.users.values();
  }

  /** How many users the pool has. */
  get size(): number {
    return this.users.size;
  }

  /** What a user has bound, derived from the trigger data. */
  bindingsOf(user: EmulatedUser): Record<MfaFactor, boolean> {
    return {
      EMAIL: !!user.mfa.mfaEmail,
      SMS: !!user.mfa.mfaPhone,
      TOTP: user.mfa.totpMfaEnabled,
      FACE: user.mfa.faceMfaEnabled,
    };
  }

  /** Finds a user as GenAuth does for a `userIdType`; undefined when the pool has none. */
  find(userId: string, userIdType: string): EmulatedUser | undefined {
    if (userIdType === 'user_id') return this.users.get(userId);
    for (const user of this.users.values()) {
      const p = user.profile;
      const match =
        (userIdType === 'external_id' && p.externalId === userId) ||
        (userIdType === 'phone' && p.phone === userId) ||
        (userIdType === 'email' && p.email === userId) ||
        (userIdType === 'username' && p.username === userId) ||
        (userIdType === 'identity' && !!p.identities?.includes(userId)) ||
        (userIdType === 'sync_relation' && !!p.syncRelations?.includes(userId));
      if (match) return user;
    }
    return undefined;
  }

  getUser(userId: string): EmulatedUser | undefined {
    return this.users.get(userId);
  }

  addApplication(app: EmulatorSeedApplication): void {
    this.applications.set(app.appId, { ...app, policies: [...app.policies] });
  }

  applicationPolicies(appId: string): readonly string[] | undefined {
    return this.applications.get(appId)?.policies;
  }

  application(appId: string): EmulatorSeedApplication | undefined {
    return this.applications.get(appId);
  }

  applicationIds(): string[] {
    return [...this.applications.keys()];
  }

  /** Stores trigger data from set-mfa-status: fields present (null included) replace, absent ones stay. */
  storeTriggerData(user: EmulatedUser, data: Record<string, unknown>): void {
    const mfa = user.mfa;
    const textOrNull = (value: unknown) => (typeof value === 'string' ? value : null);
    if ('mfaPhone' in data) mfa.mfaPhone = textOrNull(data['mfaPhone']);
    if ('mfaPhoneCountryCode' in data) mfa.mfaPhoneCountryCode = textOrNull(data['mfaPhoneCountryCode']);
    if ('mfaEmail' in data) mfa.mfaEmail = textOrNull(data['mfaEmail']);
    if ('nickname' in data) mfa.nickname = textOrNull(data['nickname']);
    if ('totpMfaEnabled' in data) {
      const on = data['totpMfaEnabled'] === true;
      if (on !== mfa.totpMfaEnabled) this.setTotp(user, on ? (user.profile.totpSecret ?? newTotpSecret()) : undefined);
    }
    if ('faceMfaEnabled' in data) mfa.faceMfaEnabled = data['faceMfaEnabled'] === true;
    if (Array.isArray(data['applicationMfa'])) {
      mfa.applicationMfa = (data['applicationMfa'] as StoredApplicationMfa[]).map((entry) => ({ ...entry }));
    }
  }

  /** The MfaTriggerData of a user, with a fresh `mfaToken` and the given factor list. */
  triggerData(user: EmulatedUser, applicationMfa: StoredApplicationMfa[]): Record<string, unknown> {
    const { profile, mfa } = user;
    return {
      mfaToken: randomBytes(24).toString('base64url'),
      mfaPhone: mfa.mfaPhone,
      mfaPhoneCountryCode: mfa.mfaPhoneCountryCode,
      mfaEmail: mfa.mfaEmail,
      nickname: mfa.nickname,
      username: profile.username ?? null,
      phone: profile.phone ?? null,
      phoneCountryCode: profile.phone ? '+86' : null,
      faceMfaEnabled: mfa.faceMfaEnabled,
      totpMfaEnabled: mfa.totpMfaEnabled,
      applicationMfa,
    };
  }
}

function emptyTriggerData(): StoredTriggerData {
  return {
    mfaPhone: null,
    mfaPhoneCountryCode: null,
    mfaEmail: null,
    nickname: null,
    totpMfaEnabled: false,
    faceMfaEnabled: false,
    applicationMfa: [],
  };
}

function digitsOf(text: string): string {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return String(hash % 100_000_000).padStart(8, '0');
}
