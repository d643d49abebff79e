import { randomInt } from 'node:crypto';
import { error, ok, type Answer, type RouteContext } from './emulator-route-context.js';
import { RESEND_INTERVAL_MS, SENT_CODE_TTL_MS } from './emulator-user-side.js';

/** The channels GenAuth's send DTOs list that the emulator accepts (a code of one channel is not another's). */
const CHANNELS = ['CHANNEL_VERIFY_MFA', 'CHANNEL_LOGIN', 'CHANNEL_BIND_PHONE', 'CHANNEL_BIND_EMAIL'];

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Records a code for `target` on `channel`, once a minute per target and channel (GenAuth's limit). */
function sendTo(context: RouteContext, type: 'SMS' | 'EMAIL', target: unknown, channel: unknown): Answer {
  const { userSide, now } = context;
  const field = type === 'SMS' ? 'phoneNumber' : 'email';
  if (!text(target)) return error(400, 400, `${field} is required`);
  if (typeof channel !== 'string' || !CHANNELS.includes(channel)) {
    return error(400, 400, `channel must be one of ${CHANNELS.join(', ')}`);
  }
  const key = `${type}:${target as string}:${channel}`;
  const last = userSide.codes.get(key);
  if (last && now - last.sentAt < RESEND_INTERVAL_MS) {
    const wait = Math.ceil((last.sentAt + RESEND_INTERVAL_MS - now) / 1000);
    return { ...error(429, 429, 'a code was sent less than a minute ago'), headers: { 'retry-after': String(wait) } };
  }
  const code = String(randomInt(100_000, 1_000_000));
  userSide.codes.set(key, { code, sentAt: now, expiresAt: now + SENT_CODE_TTL_MS });
  userSide.latestTo.delete(target as string);
  userSide.latestTo.set(target as string, code);
  userSide.onSent?.({ by: type, to: target as string, channel, code });
  return ok({});
}

/** `POST /api/v3/pre-check-code`: whether a code is right, without using it up (as GenAuth documents). */
function preCheckCode(context: RouteContext): Answer {
  const { params, userSide, now } = context;
  const type = params['codeType'];
  const payload = (type === 'SMS' ? params['smsCodePayload'] : params['emailCodePayload']) as
    Record<string, unknown> | undefined;
  if ((type !== 'SMS' && type !== 'EMAIL') || payload === null || typeof payload !== 'object') {
    return error(400, 400, 'codeType must be SMS (with smsCodePayload) or EMAIL (with emailCodePayload)');
  }
  const target = text(type === 'SMS' ? payload['phone'] : payload['email']);
  const passCode = text(payload['passCode']);
  if (!target || !passCode || !text(payload['channel'])) {
    return error(400, 400, `${type === 'SMS' ? 'phone' : 'email'}, passCode and channel are required`);
  }
  const sent = userSide.codes.get(`${type}:${target}:${payload['channel'] as string}`);
  const isValid = sent !== undefined && sent.expiresAt > now && sent.code === passCode;
  return ok(isValid ? { isValid } : { isValid, message: 'the code is wrong or expired' });
}

/** The Authentication API's code routes: send by SMS or e-mail, and check. */
export const CODE_ROUTES = {
  'POST send-sms': {
    auth: 'user',
    handle: (c: RouteContext) => sendTo(c, 'SMS', c.params['phoneNumber'], c.params['channel']),
  },
  'POST send-email': {
    auth: 'user',
    handle: (c: RouteContext) => sendTo(c, 'EMAIL', c.params['email'], c.params['channel']),
  },
  'POST pre-check-code': { auth: 'user', handle: preCheckCode },
} as const;
