import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { EmulatedUser } from './emulator-state.js';
import { error, ok, type Answer, type RouteContext } from './emulator-route-context.js';
import { newTotpSecret, totpStep, totpUri } from './emulator-totp.js';
import { ENROLLMENT_TTL_MS, USER_API_CODES } from './emulator-user-side.js';

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const fail = (statusCode: number, apiCode: number, message: string) => error(statusCode, apiCode, message);

/** `POST /api/v3/signin` with `connection: PASSWORD`: the user's access and ID tokens. */
function signIn(context: RouteContext): Answer {
  const { params, state, appId, headers } = context;
  const app = appId === undefined ? undefined : state.application(appId);
  if (!app) return fail(400, 2011, 'x-authing-app-id must name an application of the pool');
  if (app.appSecret !== undefined) {
    const basic = /^Basic (.+)$/.exec(headers['authorization'] ?? '')?.[1];
    const [id, secret] = basic
      ? Buffer.from(basic, 'base64').toString('utf8').split(':')
      : [params['client_id'], params['client_secret']];
    if (id !== app.appId || typeof secret !== 'string' || !sameText(secret, app.appSecret)) {
      return fail(401, 2001, 'invalid client credentials');
    }
  }
  const payload = params['passwordPayload'] as Record<string, unknown> | undefined;
  if (params['connection'] !== 'PASSWORD' || payload === null || typeof payload !== 'object') {
    return fail(400, 400, 'connection must be PASSWORD, with passwordPayload');
  }
  const account = [payload['account'], payload['username'], payload['email'], payload['phone']].find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  const user =
    account === undefined
      ? undefined
      : (['username', 'email', 'phone', 'user_id'] as const).map((type) => state.find(account, type)).find(Boolean);
  const password = payload['password'];
  if (!user?.profile.password || typeof password !== 'string' || !sameText(password, user.profile.password)) {
    return fail(400, USER_API_CODES.BAD_CREDENTIALS, 'wrong account or password');
  }
  return ok(context.tokens.issue(user.profile, app.appId, context.userTokenTtlSeconds, context.now));
}

/** The factors a user has bound, as `list-enrolled-factors` lists them (derived from the MFA state). */
function enrolledFactors(user: EmulatedUser): object[] {
  const id = (type: string) => `${type.toLowerCase()}_${user.profile.userId}`;
  const factors: object[] = [];
  if (user.mfa.totpMfaEnabled) factors.push({ factorId: id('OTP'), factorType: 'OTP', profile: {} });
  if (user.mfa.mfaPhone) {
    const profile = { phoneNumber: user.mfa.mfaPhone, phoneCountryCode: user.mfa.mfaPhoneCountryCode };
    factors.push({ factorId: id('SMS'), factorType: 'SMS', profile });
  }
  if (user.mfa.mfaEmail)
    factors.push({ factorId: id('EMAIL'), factorType: 'EMAIL', profile: { email: user.mfa.mfaEmail } });
  if (user.mfa.faceMfaEnabled) factors.push({ factorId: id('FACE'), factorType: 'FACE', profile: {} });
  return factors;
}

const FACTOR_TYPES = ['OTP', 'SMS', 'EMAIL', 'FACE'];

function factorsToEnroll(context: RouteContext): Answer {
  const user = context.user!;
  const enrolled = new Set(enrolledFactors(user).map((f) => (f as { factorType: string }).factorType));
  const enabled = (context.state.applicationPolicies(context.appId!) ?? []).map((p) => (p === 'TOTP' ? 'OTP' : p));
  return ok(
    enabled.filter((type) => FACTOR_TYPES.includes(type) && !enrolled.has(type)).map((factorType) => ({ factorType })),
  );
}

function startEnrollment(context: RouteContext): Answer {
  const { params, now } = context;
  const user = context.user!;
  const factorType = params['factorType'];
  const profile = (params['profile'] ?? {}) as Record<string, unknown>;
  const token = randomBytes(24).toString('base64url');
  const pending = {
    userId: user.profile.userId,
    factorType: String(factorType),
    profile,
    expiresAt: now + ENROLLMENT_TTL_MS,
  };
  if (factorType === 'OTP') {
    const secret = newTotpSecret();
    context.userSide.enrollments.set(token, { ...pending, secret });
    const qrCodeUri = totpUri(
      secret,
      user.profile.username ?? user.profile.email ?? user.profile.userId,
      'GenAuth emulator',
    );
    return ok({ enrollmentToken: token, otpData: { qrCodeUri, qrCodeDataUrl: '' } });
  }
  if (factorType === 'SMS' || factorType === 'EMAIL') {
    const target = factorType === 'SMS' ? profile['phoneNumber'] : profile['email'];
    if (typeof target !== 'string' || target === '')
      return fail(400, 400, `profile.${factorType === 'SMS' ? 'phoneNumber' : 'email'} is required`);
    const code = String(100_000 + (randomBytes(4).readUInt32BE() % 900_000));
    context.userSide.enrollments.set(token, { ...pending, code });
    return ok({ enrollmentToken: token });
  }
  return fail(400, 400, 'factorType must be OTP, SMS or EMAIL (FACE enrollment is not emulated)');
}

function completeEnrollment(context: RouteContext): Answer {
  const { params, now, userSide, state } = context;
  const user = context.user!;
  const token = params['enrollmentToken'];
  const pending = typeof token === 'string' ? userSide.enrollments.get(token) : undefined;
  if (
    !pending ||
    pending.expiresAt <= now ||
    pending.userId !== user.profile.userId ||
    pending.factorType !== params['factorType']
  ) {
    return fail(
      400,
      USER_API_CODES.ENROLLMENT_EXPIRED,
      'the enrollment token is unknown or expired: start the enrollment again',
    );
  }
  const given = (params['enrollmentData'] as { passCode?: unknown } | undefined)?.passCode;
  const passCode = typeof given === 'string' ? given : '';
  const step = pending.secret ? totpStep(pending.secret, passCode, now) : undefined;
  if (pending.secret ? step === undefined : passCode !== pending.code) {
    return fail(400, USER_API_CODES.WRONG_TOTP, 'the code is wrong');
  }
  userSide.enrollments.delete(token as string);
  if (pending.secret) {
    state.setTotp(user, pending.secret);
    user.lastTotpStep = step!;
  } else if (pending.factorType === 'SMS') {
    state.storeTriggerData(user, {
      mfaPhone: pending.profile['phoneNumber'],
      mfaPhoneCountryCode: pending.profile['phoneCountryCode'] ?? null,
    });
  } else {
    state.storeTriggerData(user, { mfaEmail: pending.profile['email'] });
  }
  context.changed(user, 'enrolled');
  return ok({});
}

function resetFactor(context: RouteContext): Answer {
  const user = context.user!;
  const factor = enrolledFactors(user).find(
    (f) => (f as { factorId: string }).factorId === context.params['factorId'],
  ) as { factorType: string } | undefined;
  if (!factor) return fail(404, 404, 'no such factor');
  if (factor.factorType === 'OTP') context.state.setTotp(user, undefined);
  if (factor.factorType === 'SMS') context.state.storeTriggerData(user, { mfaPhone: null, mfaPhoneCountryCode: null });
  if (factor.factorType === 'EMAIL') context.state.storeTriggerData(user, { mfaEmail: null });
  if (factor.factorType === 'FACE') context.state.setBindings(user.profile.userId, { FACE: false });
  context.changed(user, 'reset');
  return ok({});
}

/** `POST /api/v3/mfa-totp-verify`: a wrong code is `verified: false` or apiCode 6001, as configured. */
function verifyTotp(context: RouteContext): Answer {
  const { params, now, userSide } = context;
  const user = context.user!;
  const code = params['totp'];
  if (typeof code !== 'string' || code === '' || !user.totpSecret) {
    return fail(400, USER_API_CODES.TOTP_MISSING, user.totpSecret ? 'totp is required' : 'TOTP is not bound');
  }
  const locked = userSide.wrongCodes.lockedFor(user.profile.userId, now);
  if (locked > 0) {
    return { ...fail(429, 429, 'too many wrong codes, try again later'), headers: { 'retry-after': String(locked) } };
  }
  const step = totpStep(user.totpSecret, code, now);
  // A code is good once: one already used (its step or an earlier one) is refused like a wrong one.
  if (step === undefined || step <= user.lastTotpStep) {
    const left = userSide.wrongCodes.wrong(user.profile.userId, now);
    context.changed(user, 'verify-failed');
    if (context.wrongTotpAnswer === 'error')
      return fail(400, USER_API_CODES.WRONG_TOTP, `wrong code (${left} tries left)`);
    return ok({ verified: false });
  }
  user.lastTotpStep = step;
  user.lastMfaTime = context.now;
  context.changed(user, 'verified');
  return ok({ verified: true });
}

/** The Authentication API's routes: `none` for sign-in and the keys, `user` (a user token) for the rest. */
export const USER_ROUTES = {
  'POST signin': { auth: 'none', handle: signIn },
  'GET /oidc/.well-known/jwks.json': {
    auth: 'none',
    handle: (c: RouteContext): Answer => ({ statusCode: 200, body: c.tokens.jwks() }),
  },
  'GET list-enrolled-factors': { auth: 'user', handle: (c: RouteContext) => ok(enrolledFactors(c.user!)) },
  'GET list-factors-to-enroll': { auth: 'user', handle: factorsToEnroll },
  'POST send-enroll-factor-request': { auth: 'user', handle: startEnrollment },
  'POST enroll-factor': { auth: 'user', handle: completeEnrollment },
  'POST reset-factor': { auth: 'user', handle: resetFactor },
  'POST mfa-totp-verify': { auth: 'user', handle: verifyTotp },
} as const;
