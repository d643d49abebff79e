import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server that answers as a test tells it to: a stand-in for a broken or hostile GenAuth. */
export interface HostileUpstream {
  readonly url: string;
  /** Requests received so far. */
  readonly requests: number;
  /** Most requests open at once so far. */
  readonly maxConcurrent: number;
  setHandler(handler: (req: IncomingMessage, res: ServerResponse) => void): void;
  close(): Promise<void>;
}

/** A valid get-user-mfa-info answer with the given factors bound. */
export function mfaInfoBody(bound: { TOTP?: boolean; SMS?: boolean; EMAIL?: boolean; FACE?: boolean } = {}): string {
  return JSON.stringify({
    statusCode: 200,
    message: 'ok',
    data: {
      totpStatus: bound.TOTP === true,
      smsMfaStatus: bound.SMS === true,
      emailMfaStatus: bound.EMAIL === true,
      faceMfaStatus: bound.FACE === true,
    },
  });
}

export async function startHostileUpstream(): Promise<HostileUpstream> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end(mfaInfoBody());
  let requests = 0;
  let open = 0;
  let maxConcurrent = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    requests += 1;
    open += 1;
    maxConcurrent = Math.max(maxConcurrent, open);
    res.on('close', () => (open -= 1));
    req.resume();
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get requests() {
      return requests;
    },
    get maxConcurrent() {
      return maxConcurrent;
    },
    setHandler(next) {
      handler = next;
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Sends `bytes` one at a time every `everyMs` until the connection closes (a trickling upstream). */
export function trickle(
  res: ServerResponse,
  bytes = '{"statusCode":200,"data":{"totpStatus":true',
  everyMs = 50,
): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  let i = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    res.write(bytes[i % bytes.length]!);
    i += 1;
  }, everyMs);
  res.on('close', () => clearInterval(timer));
}
