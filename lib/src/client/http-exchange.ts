import { request as httpRequest, type Agent as HttpAgent, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createUnzip } from 'node:zlib';

/** An answer: status, headers and the body as text (decompressed). */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A failed exchange: the socket's error code, or `tooLarge` when the body passed the cap. */
export class HttpExchangeError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly tooLarge = false,
  ) {
    super(message);
  }
}

/** Where a host's requests go, parsed once per host. */
export interface HttpOrigin {
  readonly secure: boolean;
  readonly hostname: string;
  readonly port: number;
  /** The base URL's own path (a private deployment under a prefix), without a trailing `/`. */
  readonly basePath: string;
}

/** The origin of a base URL such as `https://api.genauth.ai`. */
export function originOf(base: string): HttpOrigin {
  const url = new URL(base);
  const secure = url.protocol === 'https:';
  // A bracketed IPv6 literal is given to node:http without its brackets.
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  return { secure, hostname, port, basePath: url.pathname.replace(/\/$/, '') };
}

export interface HttpExchange {
  readonly method: 'GET' | 'POST';
  readonly origin: HttpOrigin;
  /** The path and query under the origin's `basePath`, from the leading `/`. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;
  /** Aborts the exchange, headers and body alike (the caller's per-attempt deadline). */
  readonly signal: AbortSignal;
  /** Largest body accepted, counted after decompression (so a small gzip that expands past it is refused). */
  readonly maxBytes: number;
}

/**
 * One HTTP exchange on `node:http(s)`: what the client needs of axios (a text body, gzip/deflate/br, a size
 * cap, an abort signal, no redirects followed) at about a third of its CPU per call.
 */
export function exchange(call: HttpExchange): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const { secure, hostname, port, basePath } = call.origin;
    const headers: Record<string, string> = { 'accept-encoding': 'gzip, deflate, br', ...call.headers };
    if (call.body !== undefined) headers['content-length'] = String(Buffer.byteLength(call.body));
    const options = { method: call.method, hostname, port, path: basePath + call.path, headers, signal: call.signal };
    const fail = (error: Error & { code?: unknown }) =>
      reject(
        error instanceof HttpExchangeError
          ? error
          : new HttpExchangeError(error.message, typeof error.code === 'string' ? error.code : undefined),
      );
    const req = secure
      ? httpsRequest({ ...options, agent: call.httpsAgent })
      : httpRequest({ ...options, agent: call.httpAgent });
    req.on('error', fail);
    req.on('response', (res) => {
      const coding = String(res.headers['content-encoding'] ?? '').toLowerCase();
      const decoded: Readable =
        coding === 'br'
          ? res.pipe(createBrotliDecompress())
          : /^(x-)?(gzip|deflate|compress)$/.test(coding)
            ? res.pipe(createUnzip())
            : res;
      const chunks: Buffer[] = [];
      let size = 0;
      decoded.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > call.maxBytes) {
          const error = new HttpExchangeError(`body larger than ${call.maxBytes} bytes`, 'ERR_BAD_RESPONSE', true);
          decoded.destroy(error);
          res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      decoded.on('error', fail);
      if (decoded !== res) res.on('error', fail);
      decoded.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.end(call.body);
  });
}
