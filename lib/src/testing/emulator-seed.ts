import { EmulatorSeedError } from '../errors/emulator-seed.error.js';
import type { MfaFactor } from '../contracts/mfa-factor.js';

/** A user of the emulated pool. */
export interface EmulatorSeedUser {
  userId: string;
  username?: string;
  email?: string;
  phone?: string;
  externalId?: string;
  /** `"<extIdpId>:<userIdInIdp>"` entries, for `userIdType: 'identity'`. */
  identities?: string[];
  /** `"<provider>:<userIdInIdp>"` entries, for `userIdType: 'sync_relation'`. */
  syncRelations?: string[];
  /** Which factors are bound. */
  mfa?: Partial<Record<MfaFactor, boolean>>;
  /** Password for `POST /api/v3/signin`; without one the user cannot sign in. */
  password?: string;
  /** TOTP secret (base32) when TOTP is bound, so that tests can compute codes; default: a random one. */
  totpSecret?: string;
}

/** An application and the factors its MFA policy enables. */
export interface EmulatorSeedApplication {
  appId: string;
  /** Enabled factors, e.g. `["SMS", "TOTP"]` (`OTP` is accepted for TOTP). */
  policies: string[];
  /** The application's secret: when set, sign-in must give it (Basic auth or `client_secret`). */
  appSecret?: string;
}

/** A key pair the emulator accepts. */
export interface EmulatorCredentials {
  accessKeyId: string;
  accessKeySecret: string;
}

/** The emulator's seed file. */
export interface EmulatorSeed {
  users?: EmulatorSeedUser[];
  applications?: EmulatorSeedApplication[];
  /** Accepted key pairs; without it the emulator generates one. */
  credentials?: EmulatorCredentials[];
}

const FACTOR_KEYS = ['EMAIL', 'SMS', 'TOTP', 'FACE'];
const POLICY_NAMES = ['EMAIL', 'SMS', 'TOTP', 'OTP', 'FACE', 'PASSKEY'];

type Json = Record<string, unknown>;

function object(value: unknown, field: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new EmulatorSeedError(field, 'must be an object');
  return value as Json;
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new EmulatorSeedError(field, 'must be an array');
  return value;
}

function text(value: unknown, field: string, optional = false): string | undefined {
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || value === '') throw new EmulatorSeedError(field, 'must be a non-empty string');
  return value;
}

function onlyKeys(value: Json, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw new EmulatorSeedError(`${field}.${key}`, `is not a seed field (allowed: ${allowed.join(', ')})`);
  }
}

function prefixedPairs(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  return list(value, field).map((entry, i) => {
    const pair = text(entry, `${field}[${i}]`)!;
    if (!/^[^:]+:.+$/.test(pair))
      throw new EmulatorSeedError(`${field}[${i}]`, 'must look like "<prefix>:<userIdInIdp>"');
    return pair;
  });
}

function parseUser(value: unknown, field: string): EmulatorSeedUser {
  const user = object(value, field);
  onlyKeys(
    user,
    [
      'userId',
      'username',
      'email',
      'phone',
      'externalId',
      'identities',
      'syncRelations',
      'mfa',
      'password',
      'totpSecret',
    ],
    field,
  );
  const totpSecret = text(user['totpSecret'], `${field}.totpSecret`, true);
  if (totpSecret !== undefined && !/^[A-Z2-7]{16,128}=*$/.test(totpSecret)) {
    throw new EmulatorSeedError(`${field}.totpSecret`, 'must be a base32 secret (A-Z, 2-7), at least 16 characters');
  }
  const mfa: Partial<Record<MfaFactor, boolean>> = {};
  if (user['mfa'] !== undefined) {
    const given = object(user['mfa'], `${field}.mfa`);
    onlyKeys(given, FACTOR_KEYS, `${field}.mfa`);
    for (const [factor, bound] of Object.entries(given)) {
      if (typeof bound !== 'boolean') throw new EmulatorSeedError(`${field}.mfa.${factor}`, 'must be a boolean');
      mfa[factor as MfaFactor] = bound;
    }
  }
  return {
    userId: text(user['userId'], `${field}.userId`)!,
    username: text(user['username'], `${field}.username`, true),
    email: text(user['email'], `${field}.email`, true),
    phone: text(user['phone'], `${field}.phone`, true),
    externalId: text(user['externalId'], `${field}.externalId`, true),
    identities: prefixedPairs(user['identities'], `${field}.identities`),
    syncRelations: prefixedPairs(user['syncRelations'], `${field}.syncRelations`),
    mfa,
    password: text(user['password'], `${field}.password`, true),
    totpSecret,
  };
}

function parseApplication(value: unknown, field: string): EmulatorSeedApplication {
  const app = object(value, field);
  onlyKeys(app, ['appId', 'policies', 'appSecret'], field);
  const policies = list(app['policies'], `${field}.policies`).map((policy, i) => {
    if (typeof policy !== 'string' || !POLICY_NAMES.includes(policy)) {
      throw new EmulatorSeedError(`${field}.policies[${i}]`, `must be one of ${POLICY_NAMES.join(', ')}`);
    }
    return policy;
  });
  return {
    appId: text(app['appId'], `${field}.appId`)!,
    policies,
    appSecret: text(app['appSecret'], `${field}.appSecret`, true),
  };
}

/** Checks a parsed seed file and returns it typed. Throws {@link EmulatorSeedError} naming the bad field. */
export function parseEmulatorSeed(value: unknown): EmulatorSeed {
  const seed = object(value, 'seed');
  onlyKeys(seed, ['users', 'applications', 'credentials'], 'seed');
  const users =
    seed['users'] === undefined ? [] : list(seed['users'], 'users').map((u, i) => parseUser(u, `users[${i}]`));
  const seen = new Set<string>();
  users.forEach((user, i) => {
    if (seen.has(user.userId)) throw new EmulatorSeedError(`users[${i}].userId`, `repeats ${user.userId}`);
    seen.add(user.userId);
  });
  const applications =
    seed['applications'] === undefined
      ? []
      : list(seed['applications'], 'applications').map((a, i) => parseApplication(a, `applications[${i}]`));
  const credentials =
    seed['credentials'] === undefined
      ? undefined
      : list(seed['credentials'], 'credentials').map((c, i) => {
          const pair = object(c, `credentials[${i}]`);
          onlyKeys(pair, ['accessKeyId', 'accessKeySecret'], `credentials[${i}]`);
          return {
            accessKeyId: text(pair['accessKeyId'], `credentials[${i}].accessKeyId`)!,
            accessKeySecret: text(pair['accessKeySecret'], `credentials[${i}].accessKeySecret`)!,
          };
        });
  return { users, applications, ...(credentials ? { credentials } : {}) };
}
