import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { MfaProxyConfig } from '../contracts/settings.js';
import { MfaOptionsError } from '../errors/mfa-options.error.js';

/** One request through an HTTP proxy. */
export interface ProxyRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly signal: AbortSignal;
  readonly proxy: MfaProxyConfig;
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;
  /** Largest body accepted, counted after decompression. */
  readonly maxBytes: number;
}

/** Its answer: the status, the body as text and the Retry-After header. */
export interface ProxyAnswer {
  readonly status: number;
  readonly body: string;
  readonly retryAfter: unknown;
}

/** Sends one request through the proxy. */
export type ProxySend = (request: ProxyRequest) => Promise<ProxyAnswer>;

/**
 * Loads axios, which speaks to HTTP proxies, and returns a sender on an axios instance of this client's own
 * (the global one is shared with, and changed by, other SDKs). axios is an optional peer, loaded only when
 * `http.proxy` is set: without it the start-up fails with an option error that says what to install.
 */
export async function proxyExchange(): Promise<ProxySend> {
  let axios: typeof import('axios').default;
  try {
    axios = (await import('axios')).default;
  } catch (error) {
    throw new MfaOptionsError(
      'http.proxy',
      `a proxy is spoken to through axios, which could not be loaded (npm install axios): ${(error as Error).message}`,
    );
  }
  const instance = axios.create({ maxRedirects: 0 });
  return async (request) => {
    const response = await instance.request<string>({
      method: request.method,
      url: request.url,
      data: request.body,
      headers: request.headers,
      signal: request.signal,
      httpAgent: request.httpAgent,
      httpsAgent: request.httpsAgent,
      proxy: request.proxy,
      responseType: 'text',
      transformResponse: (raw: string) => raw,
      validateStatus: () => true,
      maxRedirects: 0,
      maxContentLength: request.maxBytes,
    });
    return { status: response.status, body: response.data, retryAfter: response.headers['retry-after'] };
  };
}
