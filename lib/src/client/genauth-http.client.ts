import { HttpService } from '@nestjs/axios';
import { Inject, Injectable } from '@nestjs/common';
import type { AxiosResponse } from 'axios';
import {
  GenAuthApiError,
  GenAuthInvalidResponseError,
  GenAuthNetworkError,
  GenAuthRateLimitedError,
  GenAuthServerError,
  GenAuthTimeoutError,
  type GenAuthCallSite,
  type GenAuthError,
} from '../errors/genauth.errors.js';
import { MFA_RESOLVED_OPTIONS } from '../mfa.constants.js';
import type { ResolvedMfaOptions } from '../mfa-options.resolver.js';
import { ManagementTokenProvider, type FetchedToken } from './management-token.provider.js';
import { signatureHeaders, tokenHeaders } from './request-signer.js';
import { backoffDelayMs, parseRetryAfterMs, sleep } from './retry-policy.js';
import { encodeQuery } from './signature.js';

const TOKEN_PATH = '/api/v3/get-management-token';

type Params = Record<string, unknown>;

/**
 * Sends Management API calls: authenticates them (signature or token mode), bounds each attempt by
 * `timeoutMs`, retries GETs on network errors, 5xx and 429, and maps every failure to a typed error.
 * Returns the envelope's `data`, unchecked: callers validate it.
 */
@Injectable()
export class GenAuthHttpClient {
  private readonly tokens: ManagementTokenProvider;

  constructor(
    @Inject(MFA_RESOLVED_OPTIONS) private readonly options: ResolvedMfaOptions,
    private readonly http: HttpService,
  ) {
    this.tokens = new ManagementTokenProvider(() => this.fetchToken());
  }

  /** Calls `method path` with `params` (GET: the query; POST: the JSON body) and returns `data`. */
  async call(method: 'GET' | 'POST', path: string, params: Params): Promise<unknown> {
    const site: GenAuthCallSite = { method, path };
    let tokenRefreshed = false;
    for (let attempt = 0; ;) {
      let token: string | undefined;
      try {
        let headers: Record<string, string>;
        if (this.options.authMode === 'token') {
          token = await this.tokens.get();
          headers = tokenHeaders(this.options, token);
        } else {
          headers = signatureHeaders(this.options, method, path, params);
        }
        return await this.send(site, params, headers);
      } catch (error) {
        // A rejected token is refreshed once; the call was refused before any effect, so POST may repeat it.
        if (token !== undefined && !tokenRefreshed && error instanceof GenAuthApiError && error.statusCode === 401) {
          tokenRefreshed = true;
          this.tokens.reject(token);
          continue;
        }
        const delay = method === 'GET' ? this.retryDelayMs(error as GenAuthError, attempt) : undefined;
        if (delay === undefined) throw error;
        attempt += 1;
        await sleep(delay);
      }
    }
  }

  private retryDelayMs(error: GenAuthError, attempt: number): number | undefined {
    if (attempt >= this.options.maxRetries) return undefined;
    const retriable =
      error instanceof GenAuthNetworkError ||
      error instanceof GenAuthServerError ||
      error instanceof GenAuthRateLimitedError ||
      (error instanceof GenAuthApiError && error.statusCode >= 500);
    if (!retriable) return undefined;
    const jittered = backoffDelayMs(attempt, this.options.retryBaseDelayMs, this.options.retryMaxDelayMs);
    if (error instanceof GenAuthRateLimitedError && error.retryAfterMs !== undefined) {
      return error.retryAfterMs > this.options.retryMaxDelayMs ? undefined : Math.max(error.retryAfterMs, jittered);
    }
    return jittered;
  }

  private async fetchToken(): Promise<FetchedToken> {
    const site: GenAuthCallSite = { method: 'POST', path: TOKEN_PATH };
    const credentials = { accessKeyId: this.options.accessKeyId, accessKeySecret: this.options.accessKeySecret };
    const data = (await this.send(site, credentials, {})) as { access_token?: unknown; expires_in?: unknown } | null;
    const token = data?.access_token;
    const expiresIn = data?.expires_in;
    if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
      throw new GenAuthInvalidResponseError(site, 'data must hold a non-empty access_token and a positive expires_in');
    }
    return { token, expiresInSeconds: expiresIn };
  }

  private async send(site: GenAuthCallSite, params: Params, headers: Record<string, string>): Promise<unknown> {
    const isGet = site.method === 'GET';
    const query = isGet ? encodeQuery(params) : '';
    let response: AxiosResponse<string>;
    try {
      // axiosRef rather than the Observable wrapper: one call, one promise, on the hot path of cold lookups.
      response = await this.http.axiosRef.request<string>({
        method: site.method,
        url: `${this.options.host}${site.path}${query ? `?${query}` : ''}`,
        data: isGet ? undefined : JSON.stringify(params),
        headers: { accept: 'application/json', 'content-type': 'application/json', ...headers },
        timeout: this.options.timeoutMs,
        responseType: 'text',
        transformResponse: (body: string) => body,
        validateStatus: () => true,
        maxRedirects: 0,
      });
    } catch (error) {
      throw this.transportError(site, error);
    }
    return readEnvelope(site, response.status, response.headers['retry-after'], response.data);
  }

  private transportError(site: GenAuthCallSite, error: unknown): GenAuthError {
    // The axios error holds the request config (headers, body with the secret): keep only message and code.
    const code = (error as { code?: unknown }).code;
    const cause = Object.assign(new Error((error as Error).message ?? String(error)), {
      code: typeof code === 'string' ? code : undefined,
    });
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
      return new GenAuthTimeoutError(site, this.options.timeoutMs, { cause });
    }
    return new GenAuthNetworkError(site, typeof code === 'string' ? code : undefined, { cause });
  }
}

/** Reads a response: HTTP 429 and 5xx first, then the JSON envelope, whose `statusCode` decides. */
export function readEnvelope(site: GenAuthCallSite, httpStatus: number, retryAfter: unknown, text: unknown): unknown {
  if (httpStatus === 429) throw new GenAuthRateLimitedError(site, parseRetryAfterMs(retryAfter));
  if (httpStatus >= 500) throw new GenAuthServerError(site, httpStatus);
  let body: unknown;
  try {
    body = typeof text === 'string' ? JSON.parse(text) : text;
  } catch (error) {
    throw new GenAuthInvalidResponseError(site, `HTTP ${httpStatus} with a body that is not JSON`, { cause: error });
  }
  if (body === null || typeof body !== 'object' || typeof (body as { statusCode?: unknown }).statusCode !== 'number') {
    throw new GenAuthInvalidResponseError(site, `HTTP ${httpStatus} with a body that has no numeric statusCode`);
  }
  const envelope = body as {
    statusCode: number;
    apiCode?: unknown;
    requestId?: unknown;
    message?: unknown;
    data?: unknown;
  };
  if (envelope.statusCode === 200 && httpStatus >= 200 && httpStatus < 300) return envelope.data;
  if (envelope.statusCode === 429) throw new GenAuthRateLimitedError(site, parseRetryAfterMs(retryAfter));
  return throwApiError(site, envelope.statusCode === 200 ? httpStatus : envelope.statusCode, envelope);
}

function throwApiError(
  site: GenAuthCallSite,
  statusCode: number,
  envelope: { apiCode?: unknown; requestId?: unknown; message?: unknown },
): never {
  throw new GenAuthApiError(
    site,
    statusCode,
    typeof envelope.apiCode === 'number' ? envelope.apiCode : undefined,
    typeof envelope.requestId === 'string' ? envelope.requestId : undefined,
    typeof envelope.message === 'string' ? envelope.message : undefined,
  );
}
