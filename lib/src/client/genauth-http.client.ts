import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  GenAuthApiError,
  GenAuthInvalidResponseError,
  GenAuthNetworkError,
  GenAuthRateLimitedError,
  GenAuthTimeoutError,
  isGenAuthUnavailable,
  type GenAuthCallSite,
  type GenAuthError,
} from '../errors/genauth.errors.js';
import { MFA_CLIENT_SETTINGS } from '../contracts/tokens.js';
import type { MfaClientSettings } from '../contracts/settings.js';
import { ManagementTokenProvider, type FetchedToken } from './management-token.provider.js';
import { redact } from './redact.js';
import { readEnvelope } from './envelope.js';
import { signatureHeaders, tokenHeaders, userHeaders } from './request-signer.js';
import { backoffDelayMs, sleep } from './retry-policy.js';
import { encodeQuery } from './signature.js';
import { exchange, HttpExchangeError, originOf, type HttpOrigin } from './http-exchange.js';
import { proxyExchange, type ProxySend } from './proxy-exchange.js';

const TOKEN_PATH = '/api/v3/get-management-token';
/** Largest answer accepted, after decompression: the real ones are under 1 KB. */
const MAX_RESPONSE_BYTES = 64 * 1024;

type Params = Record<string, unknown>;

/**
 * Sends Management API calls: authenticates them (signature or token mode), bounds each attempt by
 * `timeoutMs`, retries GETs on network errors, 5xx and 429, and maps every failure to a typed error.
 * Returns the envelope's `data`, unchecked: callers validate it.
 */
@Injectable()
export class GenAuthHttpClient implements OnModuleInit, OnModuleDestroy {
  private readonly tokens: ManagementTokenProvider;
  // Agents of this module instance (created here, not at import), unless the app gave its own.
  private readonly ownAgents: { destroy(): void }[] = [];
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly sockets: { httpAgent: HttpAgent; httpsAgent: HttpsAgent; maxBytes: number };
  /** Each host parsed once: the Management host and the application's. */
  private readonly origins = new Map<string, HttpOrigin>();
  private readonly redactor = (text: string): string => redact(text, [this.options.accessKeySecret, this.tokens.held]);
  /** The sender through `http.proxy`, once axios is loaded. */
  private proxied?: Promise<ProxySend>;

  constructor(@Inject(MFA_CLIENT_SETTINGS) private readonly options: MfaClientSettings) {
    this.tokens = new ManagementTokenProvider(() => this.fetchToken());
    this.httpAgent = options.http.httpAgent ?? this.own(new HttpAgent({ keepAlive: true }));
    this.httpsAgent = options.http.httpsAgent ?? this.own(new HttpsAgent({ keepAlive: true }));
    this.sockets = { httpAgent: this.httpAgent, httpsAgent: this.httpsAgent, maxBytes: MAX_RESPONSE_BYTES };
  }

  /** With `http.proxy` set, loads axios at start-up, so that a missing axios fails the start, not a request. */
  async onModuleInit(): Promise<void> {
    if (this.options.http.proxy) await this.proxySender();
  }

  private proxySender(): Promise<ProxySend> {
    return (this.proxied ??= proxyExchange());
  }

  onModuleDestroy(): void {
    for (const agent of this.ownAgents) agent.destroy();
  }

  private own<T extends { destroy(): void }>(agent: T): T {
    this.ownAgents.push(agent);
    return agent;
  }

  /**
   * Calls `method path` with `params` (GET: the query; POST: the JSON body) and returns `data`. The whole
   * call, retries and their delays included, ends within `timeoutMs` × (1 + `maxRetries`). Without `user`
   * it is a Management API call (signed, or with the management token); with it, an Authentication API
   * call on `appHost` with the signed-in user's token, which redaction then hides too.
   */
  async call(method: 'GET' | 'POST', path: string, params: Params, user?: { token: string }): Promise<unknown> {
    const site: GenAuthCallSite = { method, path };
    const deadline = Date.now() + this.options.timeoutMs * (1 + this.options.maxRetries);
    const host = user ? this.options.appHost : this.options.host;
    let tokenRefreshed = false;
    for (let attempt = 0; ;) {
      let token: string | undefined;
      try {
        let headers: Record<string, string>;
        if (user) {
          headers = userHeaders(this.options, user.token);
        } else if (this.options.authMode === 'token') {
          token = await this.tokens.get();
          headers = tokenHeaders(this.options, token);
        } else {
          headers = signatureHeaders(this.options, method, path, params);
        }
        return await this.send(site, params, headers, deadline, host, user?.token);
      } catch (error) {
        // A rejected token is refreshed once; the call was refused before any effect, so POST may repeat it.
        if (token !== undefined && !tokenRefreshed && error instanceof GenAuthApiError && error.statusCode === 401) {
          tokenRefreshed = true;
          this.tokens.reject(token);
          continue;
        }
        const delay = method === 'GET' ? this.retryDelayMs(error as GenAuthError, attempt) : undefined;
        // A retry that could not finish before the deadline is not started.
        if (delay === undefined || Date.now() + delay >= deadline) throw error;
        attempt += 1;
        await sleep(delay);
      }
    }
  }

  private retryDelayMs(error: GenAuthError, attempt: number): number | undefined {
    // Timeouts already spent a whole attempt's budget; an invalid body will not improve on a retry.
    const retriable =
      isGenAuthUnavailable(error) &&
      !(error instanceof GenAuthTimeoutError) &&
      !(error instanceof GenAuthInvalidResponseError);
    if (attempt >= this.options.maxRetries || !retriable) return undefined;
    const jittered = backoffDelayMs(attempt, this.options.retryBaseDelayMs, this.options.retryMaxDelayMs);
    if (error instanceof GenAuthRateLimitedError && error.retryAfterMs !== undefined) {
      return error.retryAfterMs > this.options.retryMaxDelayMs ? undefined : Math.max(error.retryAfterMs, jittered);
    }
    return jittered;
  }

  private async fetchToken(): Promise<FetchedToken> {
    const site: GenAuthCallSite = { method: 'POST', path: TOKEN_PATH };
    const credentials = { accessKeyId: this.options.accessKeyId, accessKeySecret: this.options.accessKeySecret };
    const deadline = Date.now() + this.options.timeoutMs;
    const data = (await this.send(site, credentials, {}, deadline, this.options.host)) as {
      access_token?: unknown;
      expires_in?: unknown;
    } | null;
    const token = data?.access_token;
    const expiresIn = data?.expires_in;
    if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
      throw new GenAuthInvalidResponseError(site, 'data must hold a non-empty access_token and a positive expires_in');
    }
    return { token, expiresInSeconds: expiresIn };
  }

  private async send(
    site: GenAuthCallSite,
    params: Params,
    headers: Record<string, string>,
    deadline: number,
    host: string,
    userToken?: string,
  ): Promise<unknown> {
    const redactor =
      userToken === undefined ? this.redactor : (text: string) => redact(this.redactor(text), [userToken]);
    const isGet = site.method === 'GET';
    const query = isGet ? encodeQuery(params) : '';
    // One timer per attempt bounds headers and body alike: a socket timeout would be reset by every byte.
    const timeoutMs = Math.max(1, Math.min(this.options.timeoutMs, deadline - Date.now()));
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    const path = `${site.path}${query ? `?${query}` : ''}`;
    const body = isGet ? undefined : JSON.stringify(params);
    const allHeaders = { accept: 'application/json', 'content-type': 'application/json', ...headers };
    let status: number;
    let retryAfter: unknown;
    let text: string;
    try {
      const proxy = this.options.http.proxy;
      const method = site.method as 'GET' | 'POST';
      const signal = abort.signal;
      if (!proxy) {
        // node:http directly: a third of axios's CPU per call, on the path of every cold lookup.
        const origin = this.originOf(host);
        const answer = await exchange({ method, origin, path, headers: allHeaders, body, signal, ...this.sockets });
        ({ status, body: text } = answer);
        retryAfter = answer.headers['retry-after'];
      } else {
        const send = await this.proxySender();
        ({
          status,
          body: text,
          retryAfter,
        } = await send({
          method,
          url: `${host}${path}`,
          headers: allHeaders,
          body,
          signal,
          proxy,
          httpAgent: this.httpAgent,
          httpsAgent: this.httpsAgent,
          maxBytes: MAX_RESPONSE_BYTES,
        }));
      }
    } catch (error) {
      throw this.transportError(site, error, abort.signal.aborted, timeoutMs, redactor);
    } finally {
      clearTimeout(timer);
    }
    return readEnvelope(site, status, retryAfter, text, redactor);
  }

  private originOf(host: string): HttpOrigin {
    let found = this.origins.get(host);
    if (!found) this.origins.set(host, (found = originOf(host)));
    return found;
  }

  private transportError(
    site: GenAuthCallSite,
    error: unknown,
    timedOut: boolean,
    timeoutMs: number,
    redactor: (text: string) => string,
  ): GenAuthError {
    // The axios error holds the request config (headers, body with the secret): keep only message and code.
    const code = (error as { code?: unknown }).code;
    const cause = Object.assign(new Error(redactor((error as Error).message ?? String(error))), {
      code: typeof code === 'string' ? code : undefined,
    });
    if (timedOut || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
      return new GenAuthTimeoutError(site, timeoutMs, { cause });
    }
    if (
      (error instanceof HttpExchangeError && error.tooLarge) ||
      (code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(cause.message))
    ) {
      return new GenAuthInvalidResponseError(site, `body larger than ${MAX_RESPONSE_BYTES} bytes`, { cause });
    }
    return new GenAuthNetworkError(site, typeof code === 'string' ? code : undefined, { cause });
  }
}
