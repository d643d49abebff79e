import { Inject, Injectable } from '@nestjs/common';
import { GenAuthHttpClient } from '../client/genauth-http.client.js';
import {
  FACTOR_BIT,
  factorsOfMask,
  fromWireName,
  MFA_FACTORS,
  toWireName,
  type MfaFactor,
} from '../contracts/mfa-factor.js';
import type { MfaServiceSettings } from '../contracts/settings.js';
import { MFA_SERVICE_SETTINGS } from '../contracts/tokens.js';
import type { MfaUserRef, UserIdType } from '../contracts/user-ref.js';
import type { Checked } from '../checks/check-result.js';
import {
  checkIsSuccess,
  checkSetStatusArgs,
  checkTriggerData,
  checkTriggerDataArgs,
} from '../checks/trigger-data.check.js';
import { checkUserMfaInfo, checkUserRef, type CheckedMfaInfo } from '../checks/user-mfa-info.check.js';
import { checkUserPage } from '../checks/user-page.check.js';
import { GenAuthInvalidResponseError, GenAuthValidationError, type GenAuthCallSite } from '../errors/genauth.errors.js';
import { factorChange } from './factor-change.js';
import type {
  GetMfaTriggerDataArgs,
  ListUsersArgs,
  MfaTriggerData,
  SetFactorBoundArgs,
  SetMfaStatusResult,
  SetUsersMfaStatusArgs,
  UserMfaInfo,
  UserPage,
} from './mfa-management.types.js';

/** The field of get-user-mfa-info that says whether each factor is bound. */
const STATUS_FIELD: Readonly<Record<MfaFactor, keyof CheckedMfaInfo>> = {
  EMAIL: 'emailMfaStatus',
  SMS: 'smsMfaStatus',
  TOTP: 'totpStatus',
  FACE: 'faceMfaStatus',
};

const MFA_INFO: GenAuthCallSite = { method: 'GET', path: '/api/v3/get-user-mfa-info' };
const TRIGGER_DATA: GenAuthCallSite = { method: 'GET', path: '/api/v3/get-mfa-trigger-data' };
const MFA_STATUS: GenAuthCallSite = { method: 'GET', path: '/api/v3/get-mfa-status' };
const SET_MFA_STATUS: GenAuthCallSite = { method: 'POST', path: '/api/v3/set-mfa-status' };
const LIST_USERS: GenAuthCallSite = { method: 'POST', path: '/api/v3/list-users' };

/**
 * The GenAuth Management API's MFA methods. Arguments are validated before anything is sent (a bad call
 * throws {@link GenAuthValidationError} and reaches no server); answers are validated before use (a body
 * that does not match throws {@link GenAuthInvalidResponseError}); failures are typed {@link GenAuthError}s.
 */
@Injectable()
export class MfaManagementService {
  private readonly changeListeners = new Set<(user: Required<MfaUserRef>) => void>();

  /** @internal Nest creates it; its client and settings view are not public. */
  constructor(
    private readonly client: GenAuthHttpClient,
    @Inject(MFA_SERVICE_SETTINGS) private readonly options: MfaServiceSettings,
  ) {}

  /**
   * A user's MFA binding info (`GET /api/v3/get-user-mfa-info`).
   * @example const { bound } = await mfa.getUserMfaInfo({ userId: 'alice@example.com', userIdType: 'email' });
   */
  async getUserMfaInfo(args: MfaUserRef): Promise<UserMfaInfo> {
    const { userId, userIdType } = validArgs(MFA_INFO, checkUserRef(this.withDefaults(args)));
    const data = await this.client.call('GET', MFA_INFO.path, { userId, userIdType });
    const info = validAnswer(MFA_INFO, checkUserMfaInfo(data));
    let mask = 0;
    for (const factor of MFA_FACTORS) if (isOn(info[STATUS_FIELD[factor]])) mask |= FACTOR_BIT[factor];
    const boundFactors = factorsOfMask(mask);
    const bound = { EMAIL: false, SMS: false, TOTP: false, FACE: false } as Record<MfaFactor, boolean>;
    for (const factor of boundFactors) bound[factor] = true;
    return {
      totpStatus: info.totpStatus,
      faceMfaStatus: info.faceMfaStatus,
      smsMfaStatus: info.smsMfaStatus,
      emailMfaStatus: info.emailMfaStatus,
      bound,
      boundFactors,
    };
  }

  /** A user's MFA trigger data under an application. `appId` defaults to the module's `appId`. */
  async getMfaTriggerData(args: GetMfaTriggerDataArgs): Promise<MfaTriggerData> {
    const withApp = { ...this.withDefaults(args), appId: args?.appId ?? this.options.appId };
    const { appId, userId, userIdType } = validArgs(TRIGGER_DATA, checkTriggerDataArgs(withApp));
    const data = await this.client.call('GET', TRIGGER_DATA.path, { appId, userId, userIdType });
    return readTriggerData(TRIGGER_DATA, data);
  }

  /** A user's MFA status, i.e. the stored trigger data (`GET /api/v3/get-mfa-status`). */
  async getUserMfaStatus(args: MfaUserRef): Promise<MfaTriggerData> {
    const { userId, userIdType } = validArgs(MFA_STATUS, checkUserRef(this.withDefaults(args)));
    const data = await this.client.call('GET', MFA_STATUS.path, { userId, userIdType });
    return readTriggerData(MFA_STATUS, data);
  }

  /** The same call as {@link getUserMfaStatus}, under the other name the API documents. */
  getUsersMfaStatus(args: MfaUserRef): Promise<MfaTriggerData> {
    return this.getUserMfaStatus(args);
  }

  /**
   * Stores a user's MFA trigger data (`POST /api/v3/set-mfa-status`). On success the guard's cached binding of that
   * (`userIdType`, `userId`) is dropped. Never retried: a POST that may have reached GenAuth is not repeated.
   */
  async setUsersMfaStatus(args: SetUsersMfaStatusArgs): Promise<SetMfaStatusResult> {
    const {
      userId,
      userIdType,
      mfaTriggerData: given,
    } = validArgs(SET_MFA_STATUS, checkSetStatusArgs(this.withDefaults(args)));
    const mfaTriggerData = {
      ...given,
      applicationMfa: given.applicationMfa.map((entry) => ({ ...entry, mfaPolicy: toWireName(entry.mfaPolicy) })),
    };
    const data = await this.client.call('POST', SET_MFA_STATUS.path, { userId, userIdType, mfaTriggerData });
    const result = validAnswer(SET_MFA_STATUS, checkIsSuccess(data));
    if (result.success) for (const listener of this.changeListeners) listener({ userId, userIdType });
    return { success: result.success };
  }

  /**
   * Binds or unbinds one factor of a user in one call: reads the user's MFA status (for its `mfaToken` and
   * `applicationMfa`), changes that factor, and stores it with {@link setUsersMfaStatus}, which drops the
   * guard's cached binding on every replica. Arguments are checked before anything is sent.
   * @example await mfa.setFactorBound({ userId, factor: 'TOTP', bound: true });
   */
  async setFactorBound(args: SetFactorBoundArgs): Promise<SetMfaStatusResult> {
    validArgs(SET_MFA_STATUS, checkUserRef(args));
    const user = { userId: args.userId, userIdType: args.userIdType };
    const current = await this.getUserMfaStatus(user);
    const change = factorChange(args, current);
    if (!change.ok) throw new GenAuthValidationError(SET_MFA_STATUS, change.field, change.detail);
    const { mfaToken, applicationMfa } = current;
    return this.setUsersMfaStatus({ ...user, mfaTriggerData: { mfaToken, applicationMfa, ...change.patch } });
  }

  /**
   * One page of the user pool (`POST /api/v3/list-users`), oldest first (sorted by `createdAt`), with the fields
   * an audit reads. A read, but a POST: the client does not retry it ({@link MfaAuditService} does).
   * @example const { totalCount, list } = await mfa.listUsers({ page: 1, limit: 50 });
   */
  async listUsers(args: ListUsersArgs): Promise<UserPage> {
    const { page, limit = 50 } = args ?? ({} as ListUsersArgs);
    if (!Number.isSafeInteger(page) || page < 1)
      throw new GenAuthValidationError(LIST_USERS, 'page', 'must be 1 or more');
    if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
      throw new GenAuthValidationError(LIST_USERS, 'limit', 'must be 1 to 50');
    }
    const options = { pagination: { page, limit }, sort: [{ field: 'createdAt', order: 'asc' }] };
    const data = await this.client.call('POST', LIST_USERS.path, { options });
    return validAnswer(LIST_USERS, checkUserPage(data));
  }

  /**
   * Calls `listener` after each successful {@link setUsersMfaStatus}. Returns a function that removes it.
   * The guard's binding cache subscribes here.
   */
  onStatusChanged(listener: (user: Required<MfaUserRef>) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private withDefaults<T extends MfaUserRef>(args: T): T & { userIdType: UserIdType } {
    if (args === null || typeof args !== 'object') return args;
    return { ...args, userIdType: args.userIdType ?? this.options.userIdType };
  }
}

function isOn(value: boolean | string): boolean {
  return value === true || value === 'enabled';
}

/** The checked arguments (with the module's `userIdType` filled in), or a validation error before any call. */
function validArgs<T>(site: GenAuthCallSite, checked: Checked<T>): T & { userIdType: UserIdType } {
  if (!checked.ok) throw new GenAuthValidationError(site, checked.failure.field, checked.failure.detail);
  return checked.value as T & { userIdType: UserIdType };
}

function validAnswer<T>(site: GenAuthCallSite, checked: Checked<T>): T {
  if (!checked.ok) {
    throw new GenAuthInvalidResponseError(site, `data.${checked.failure.field} ${checked.failure.detail}`);
  }
  return checked.value;
}

function readTriggerData(site: GenAuthCallSite, data: unknown): MfaTriggerData {
  const source = data as { applicationMfa?: unknown } | null;
  // Some published answers carry one object instead of a list.
  const listed =
    source &&
    typeof source === 'object' &&
    source.applicationMfa &&
    typeof source.applicationMfa === 'object' &&
    !Array.isArray(source.applicationMfa)
      ? { ...source, applicationMfa: [source.applicationMfa] }
      : data;
  const checked = validAnswer(site, checkTriggerData(listed));
  return {
    ...(checked as MfaTriggerData),
    applicationMfa: checked.applicationMfa.map((entry) => ({
      ...entry,
      mfaPolicy: fromWireName(entry.mfaPolicy),
    })),
  };
}
