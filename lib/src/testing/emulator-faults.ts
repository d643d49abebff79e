import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from './emulator-http.js';

/** A failure the emulator injects into one endpoint's answers, for tests. */
export interface EmulatorFault {
  /** Wait this long before answering (or failing). */
  latencyMs?: number;
  /** Answer with this HTTP status (500, 502, 503, ...) and an error body. */
  httpStatus?: number;
  /** Answer HTTP 429 with this `Retry-After`, in seconds. */
  rateLimitRetryAfterSeconds?: number;
  /** Answer 200 with a broken body: `'truncated'` JSON, or a `'wrong-shape'` envelope. */
  malformed?: 'truncated' | 'wrong-shape';
  /** Close the connection without answering. */
  drop?: boolean;
  /** Apply to this many requests, then clear itself. Default: until cleared. */
  times?: number;
  /** Apply to this share of requests (0 to 1), drawn at random; the others are answered normally. Default 1. */
  probability?: number;
}

/** Endpoint names of the emulator, as used for faults and request counts. */
export type EmulatorEndpoint =
  | 'get-user-mfa-info'
  | 'get-mfa-trigger-data'
  | 'get-mfa-status'
  | 'set-mfa-status'
  | 'list-users'
  | 'get-global-mfa-settings'
  | 'get-management-token'
  | 'signin'
  | 'list-enrolled-factors'
  | 'list-factors-to-enroll'
  | 'send-enroll-factor-request'
  | 'enroll-factor'
  | 'reset-factor'
  | 'mfa-totp-verify'
  | 'send-sms'
  | 'send-email'
  | 'pre-check-code'
  | 'webauthn/registration'
  | 'webauthn/authentication'
  | '/oidc/.well-known/jwks.json';

/** Faults per endpoint (`'*'` for all), each used up after its `times`. */
export class FaultTable {
  private readonly faults = new Map<string, EmulatorFault>();

  set(endpoint: EmulatorEndpoint | '*', fault: EmulatorFault): void {
    const { probability } = fault;
    if (probability !== undefined && !(probability >= 0 && probability <= 1)) {
      throw new RangeError('probability must be from 0 to 1');
    }
    this.faults.set(endpoint, { ...fault });
  }

  clear(endpoint?: EmulatorEndpoint | '*'): void {
    if (endpoint) this.faults.delete(endpoint);
    else this.faults.clear();
  }

  /** The fault for this request, if any, counting one use. */
  take(endpoint: string): EmulatorFault | undefined {
    const key = this.faults.has(endpoint) ? endpoint : this.faults.has('*') ? '*' : undefined;
    if (key === undefined) return undefined;
    const fault = this.faults.get(key)!;
    if (fault.probability !== undefined && Math.random() >= fault.probability) return undefined;
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) this.faults.delete(key);
    }
    return fault;
  }
}

/**
 * Answers a request as a fault says, after its latency: a dropped connection, a 429 with `Retry-After`,
 * an HTTP error status or a malformed body. Resolves to whether it answered (false: answer normally).
 */
export async function applyFault(
  fault: EmulatorFault | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  if (!fault) return false;
  if (fault.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  if (fault.drop) {
    req.socket.destroy();
    return true;
  }
  if (fault.rateLimitRetryAfterSeconds !== undefined) {
    const body = { statusCode: 429, message: 'Too Many Requests', requestId: randomUUID() };
    send(res, 429, body, { 'retry-after': String(fault.rateLimitRetryAfterSeconds) });
    return true;
  }
  if (fault.httpStatus !== undefined) {
    send(res, fault.httpStatus, { statusCode: fault.httpStatus, message: 'emulated failure', requestId: randomUUID() });
    return true;
  }
  if (fault.malformed === 'truncated') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"statusCode":200,"data":{"totpSta');
    return true;
  }
  if (fault.malformed === 'wrong-shape') {
    send(res, 200, { statusCode: 200, message: 'ok', data: { unexpected: [1, 2, 3] } });
    return true;
  }
  return false;
}
