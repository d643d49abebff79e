import { toWireName } from '../contracts/mfa-factor.js';
import { USER_ID_TYPES } from '../contracts/user-ref.js';
import { API_CODES } from './emulator-auth.js';
import type { EmulatedUser, StoredApplicationMfa } from './emulator-state.js';
import { listUsers } from './emulator-list-users.js';
import { error, ok, type Answer, type EmulatorRoute, type RouteContext } from './emulator-route-context.js';

// custom_field lookups are not emulated: their format is unpublished.
const EMULATED_USER_ID_TYPES: readonly string[] = USER_ID_TYPES.filter((type) => type !== 'custom_field');

function invalid(name: string, english: boolean): Answer {
  return error(400, 400, english ? `Invalid parameter ${name}` : `参数 ${name} 格式错误`);
}

/** The user a call names, or the 400 / 2004 answer. */
function findUser({ state, params, english }: RouteContext): EmulatedUser | Answer {
  const userId = params['userId'];
  const userIdType = params['userIdType'] ?? 'user_id';
  if (typeof userId !== 'string' || userId === '') return invalid('userId', english);
  if (typeof userIdType !== 'string' || !EMULATED_USER_ID_TYPES.includes(userIdType))
    return invalid('userIdType', english);
  return (
    state.find(userId, userIdType) ??
    error(404, API_CODES.USER_NOT_FOUND, english ? 'User does not exist' : '用户不存在')
  );
}

function isAnswer(value: EmulatedUser | Answer): value is Answer {
  return 'statusCode' in value;
}

function mfaInfo(context: RouteContext): Answer {
  const user = findUser(context);
  if (isAnswer(user)) return user;
  const bound = context.state.bindingsOf(user);
  const show = (on: boolean) => (context.mfaInfoFormat === 'string' ? (on ? 'enabled' : 'disabled') : on);
  return ok({
    totpStatus: show(bound.TOTP),
    faceMfaStatus: show(bound.FACE),
    smsMfaStatus: show(bound.SMS),
    emailMfaStatus: show(bound.EMAIL),
  });
}

function triggerData(context: RouteContext): Answer {
  const appId = context.params['appId'];
  if (typeof appId !== 'string' || appId === '') return invalid('appId', context.english);
  const user = findUser(context);
  if (isAnswer(user)) return user;
  const policies = context.state.applicationPolicies(appId);
  if (!policies) {
    return error(404, API_CODES.APP_NOT_FOUND, context.english ? 'Application does not exist' : '应用不存在');
  }
  const applicationMfa: StoredApplicationMfa[] = policies.map((policy, sort) => ({
    mfaPolicy: toWireName(policy),
    status: 1,
    sort,
  }));
  return ok(context.state.triggerData(user, applicationMfa));
}

function mfaStatus(context: RouteContext): Answer {
  const user = findUser(context);
  if (isAnswer(user)) return user;
  return ok(context.state.triggerData(user, user.mfa.applicationMfa));
}

function setMfaStatus(context: RouteContext): Answer {
  const user = findUser(context);
  if (isAnswer(user)) return user;
  const data = context.params['mfaTriggerData'] as Record<string, unknown> | null;
  if (data === null || typeof data !== 'object' || Array.isArray(data) || !Array.isArray(data['applicationMfa'])) {
    return invalid('mfaTriggerData', context.english);
  }
  context.state.storeTriggerData(user, data);
  context.changed(user, 'status');
  return ok({ success: true });
}

function managementToken({ auth, params, tokenTtlSeconds }: RouteContext): Answer {
  const issued = auth.issueToken(params['accessKeyId'], params['accessKeySecret'], tokenTtlSeconds);
  if ('apiCode' in issued) return error(issued.statusCode, issued.apiCode, issued.message);
  return ok({ access_token: issued.token, expires_in: tokenTtlSeconds });
}

const signed = (handle: (context: RouteContext) => Answer): EmulatorRoute => ({ auth: 'management', handle });

/** The endpoints, by `METHOD endpoint`. */
export const EMULATOR_ROUTES: Readonly<Record<string, EmulatorRoute>> = {
  'POST get-management-token': { auth: 'none', handle: managementToken },
  'GET get-user-mfa-info': signed(mfaInfo),
  'GET get-mfa-trigger-data': signed(triggerData),
  'GET get-mfa-status': signed(mfaStatus),
  'POST set-mfa-status': signed(setMfaStatus),
  'POST list-users': signed(listUsers),
  'GET get-global-mfa-settings': signed(() => ok({ enabledFactors: ['OTP', 'SMS', 'EMAIL', 'FACE'] })),
};
