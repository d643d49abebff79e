import type { IncomingMessage } from 'node:http';
import type { EmulatorAuth } from './emulator-auth.js';
import { headerRecord } from './emulator-http.js';
import { error, type Answer, type EmulatorChange, type EmulatorRoute } from './emulator-route-context.js';
import { EMULATOR_ROUTES } from './emulator-routes.js';
import type { EmulatedUser, EmulatorState } from './emulator-state.js';
import type { EmulatorTokens } from './emulator-tokens.js';
import { CODE_ROUTES } from './emulator-code-routes.js';
import { USER_ROUTES } from './emulator-user-routes.js';
import { WEBAUTHN_ROUTES } from './emulator-webauthn-routes.js';
import { USER_API_CODES, type EmulatorUserSide } from './emulator-user-side.js';

type Params = Record<string, unknown>;

/** Every endpoint the emulator serves: the Management API's and the Authentication API's. */
const ROUTES: Readonly<Record<string, EmulatorRoute>> = {
  ...EMULATOR_ROUTES,
  ...USER_ROUTES,
  ...CODE_ROUTES,
  ...WEBAUTHN_ROUTES,
};

/** What answering needs from the emulator. */
export interface EmulatorParts {
  readonly state: EmulatorState;
  readonly auth: EmulatorAuth;
  readonly tokens: EmulatorTokens;
  readonly userSide: EmulatorUserSide;
  readonly now: () => number;
  readonly mfaInfoFormat: 'boolean' | 'string';
  readonly tokenTtlSeconds: number;
  readonly userTokenTtlSeconds: number;
  readonly wrongTotpAnswer: 'verified-false' | 'error';
  readonly qrDataUrl: (uri: string) => Promise<string>;
  readonly changed: (user: EmulatedUser, what: EmulatorChange) => void;
}

/** The answer to one request (its body read): route, parameters, auth, then the route's handler. */
export async function answer(
  parts: EmulatorParts,
  req: IncomingMessage,
  url: URL,
  endpoint: string,
  raw: string,
): Promise<Answer> {
  const method = req.method ?? 'GET';
  const headers = headerRecord(req);
  const english = (headers['x-authing-lang'] ?? headers['x-genauth-lang']) === 'en-US';
  let params: Params | undefined;
  if (method === 'POST') {
    try {
      params = raw === '' ? {} : (JSON.parse(raw) as Params);
    } catch {
      return error(400, 400, english ? 'Request body is not JSON' : '请求体不是 JSON');
    }
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      return error(400, 400, 'Request body must be a JSON object');
    }
  } else {
    params = Object.fromEntries(url.searchParams);
  }
  const route = ROUTES[`${method} ${endpoint}`];
  if (!route) return { statusCode: 404, body: { statusCode: 404, message: `no route ${method} ${url.pathname}` } };
  if (route.auth === 'management') {
    const signed = Object.keys(params).length ? params : undefined;
    const failure = parts.auth.verify(method, url.pathname, headers, signed);
    if (failure) return error(failure.statusCode, failure.apiCode, failure.message);
  }
  const now = parts.now();
  const appId = headers['x-authing-app-id'] || headers['x-genauth-app-id'] || undefined;
  let user: EmulatedUser | undefined;
  if (route.auth === 'user') {
    if (appId === undefined || !parts.state.application(appId)) {
      return error(400, 2011, 'x-authing-app-id (or x-genauth-app-id) must name an application of the pool');
    }
    // The official SDK sends the raw token; the OpenAPI document says Bearer: both are read.
    const token = (headers['authorization'] ?? '').replace(/^Bearer\s+/i, '');
    const claims = parts.tokens.verify(token, now);
    if (claims === 'expired')
      return error(401, USER_API_CODES.NOT_SIGNED_IN, 'the user token has expired: sign in again');
    user = typeof claims === 'object' && claims.aud === appId ? parts.state.getUser(claims.sub) : undefined;
    if (!user) return error(401, USER_API_CODES.NOT_SIGNED_IN, 'a valid user token is required');
  }
  const answered = route.handle({
    state: parts.state,
    params,
    headers,
    now,
    english,
    mfaInfoFormat: parts.mfaInfoFormat,
    auth: parts.auth,
    tokenTtlSeconds: parts.tokenTtlSeconds,
    appId,
    user,
    tokens: parts.tokens,
    userSide: parts.userSide,
    userTokenTtlSeconds: parts.userTokenTtlSeconds,
    wrongTotpAnswer: parts.wrongTotpAnswer,
    changed: parts.changed,
  });
  // Handlers are synchronous; the QR code of a TOTP enrollment is drawn afterwards, from its URI.
  const otpData = (answered.body as { data?: { otpData?: { qrCodeUri: string; qrCodeDataUrl: string } } }).data
    ?.otpData;
  if (otpData) otpData.qrCodeDataUrl = await parts.qrDataUrl(otpData.qrCodeUri);
  return answered;
}
