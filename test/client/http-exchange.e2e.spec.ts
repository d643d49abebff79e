import 'reflect-metadata';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { Test, type TestingModule } from '@nestjs/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MfaManagementService, MfaModule, type MfaModuleOptions } from 'nestjs-genauth-mfa';
import { mfaInfoBody, startHostileUpstream, type HostileUpstream } from '../support/hostile-upstream.js';

const KEYS = { accessKeyId: 'exchange-key-id', accessKeySecret: 'exchange-key-secret-0123456789' };

async function service(options: Partial<MfaModuleOptions>): Promise<[TestingModule, MfaManagementService]> {
  const moduleRef = await Test.createTestingModule({
    imports: [MfaModule.forRoot({ ...KEYS, timeoutMs: 2000, maxRetries: 0, ...options })],
  }).compile();
  await moduleRef.init();
  return [moduleRef, moduleRef.get(MfaManagementService)];
}

/** A forward HTTP proxy on loopback: requests with an absolute URL, passed on; it counts them. */
async function startProxy(): Promise<{ server: Server; port: number; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.url!);
    const upstream = request(req.url!, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

describe('the client on node:http, and through a proxy on axios', () => {
  let upstream: HostileUpstream;
  let moduleRef: TestingModule | undefined;

  beforeEach(async () => {
    upstream = await startHostileUpstream();
  });

  afterEach(async () => {
    await moduleRef?.close();
    await upstream.close();
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
    ['identity', (b: Buffer) => b],
  ])('reads a %s body, and asks for the encodings it reads', async (encoding, compress) => {
    let asked: string | undefined;
    upstream.setHandler((req, res) => {
      asked = req.headers['accept-encoding'];
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      res.end(compress(Buffer.from(mfaInfoBody({ TOTP: true }))));
    });
    let mfa: MfaManagementService;
    [moduleRef, mfa] = await service({ host: upstream.url });
    expect((await mfa.getUserMfaInfo({ userId: 'u1' })).boundFactors).toEqual(['TOTP']);
    expect(asked).toBe('gzip, deflate, br');
  });

  it('sends a POST body with its length, and no redirect is followed', async () => {
    let received = '';
    let length: string | undefined;
    upstream.setHandler((req, res) => {
      length = req.headers['content-length'];
      req.on('data', (chunk: Buffer) => (received += chunk.toString()));
      req.on('end', () => res.end(JSON.stringify({ statusCode: 200, data: { totalCount: 0, list: [] } })));
    });
    let mfa: MfaManagementService;
    [moduleRef, mfa] = await service({ host: upstream.url });
    expect(await mfa.listUsers({ page: 1 })).toEqual({ totalCount: 0, list: [] });
    expect(JSON.parse(received)).toEqual({
      options: { pagination: { page: 1, limit: 50 }, sort: [{ field: 'createdAt', order: 'asc' }] },
    });
    expect(Number(length)).toBe(Buffer.byteLength(received));
  });

  it('goes through the configured proxy (axios), and reads the same answer', async () => {
    const proxy = await startProxy();
    try {
      let mfa: MfaManagementService;
      [moduleRef, mfa] = await service({
        host: upstream.url,
        http: { proxy: { protocol: 'http', host: '127.0.0.1', port: proxy.port } },
      });
      upstream.setHandler((_req, res) => res.end(mfaInfoBody({ SMS: true })));
      expect((await mfa.getUserMfaInfo({ userId: 'u1' })).boundFactors).toEqual(['SMS']);
      expect(proxy.seen).toEqual([`${upstream.url}/api/v3/get-user-mfa-info?userId=u1&userIdType=user_id`]);
    } finally {
      proxy.server.closeAllConnections();
      await new Promise((resolve) => proxy.server.close(resolve));
    }
  });
});
