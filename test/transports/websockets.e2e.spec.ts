import { Module, UseGuards, type ExecutionContext, type INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { WsAdapter } from '@nestjs/platform-ws';
import { Test } from '@nestjs/testing';
import { MessageBody, SubscribeMessage, WebSocketGateway, type OnGatewayConnection } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MfaModule, MfaPolicy, RequireMfaBound, SkipMfa, type MfaModuleOptions } from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { emulatorOptions } from '../support/emulator-app.js';
import { useEmulator } from '../support/emulator-hooks.js';
import { HandlerCalls } from '../support/guard-app.js';

type Kind = 'socket.io' | 'ws';

/**
 * Stands in for the app's authentication of a connection: socket.io's handshake `auth.userId` becomes
 * `socket.data.user`; a ws upgrade request's `x-user-id` header becomes `client.user`.
 */
abstract class AuthenticatingGateway implements OnGatewayConnection {
  handleConnection(
    client: { data?: Record<string, unknown>; handshake?: { auth: { userId?: string } }; user?: unknown },
    request?: IncomingMessage,
  ): void {
    const id = client.handshake ? client.handshake.auth.userId : request?.headers['x-user-id'];
    if (typeof id !== 'string') return;
    if (client.handshake) client.data!['user'] = { id };
    else client.user = { id };
  }
}

@WebSocketGateway()
class SecretsGateway extends AuthenticatingGateway {
  constructor(private readonly calls: HandlerCalls) {
    super();
  }

  @UseGuards(RequireMfaBound('TOTP'))
  @SubscribeMessage('secret')
  secret() {
    this.calls.count += 1;
    return { event: 'secret', data: 'the secret' };
  }

  @UseGuards(RequireMfaBound('TOTP', { verifiedWithin: '5m' }))
  @SubscribeMessage('transfer')
  transfer() {
    this.calls.count += 1;
    return { event: 'transfer', data: 'done' };
  }

  @UseGuards(RequireMfaBound())
  @MfaPolicy({ allOf: ['SMS', 'EMAIL'] })
  @SubscribeMessage('both')
  both(@MessageBody() data: unknown) {
    this.calls.count += 1;
    return { event: 'both', data };
  }
}

/** Guarded only by a global RequireMfaBound() with the module's defaultPolicy (FACE). */
@WebSocketGateway()
class GlobalGateway extends AuthenticatingGateway {
  constructor(private readonly calls: HandlerCalls) {
    super();
  }

  @SubscribeMessage('secret')
  secret() {
    this.calls.count += 1;
    return { event: 'secret', data: 'face ok' };
  }

  @SkipMfa()
  @SubscribeMessage('open')
  open() {
    this.calls.count += 1;
    return { event: 'open', data: 'open' };
  }
}

interface Reply {
  event: string;
  data: unknown;
}

interface Connection {
  send(event: string, data?: unknown): Promise<Reply>;
  close(): void;
}

/** Connects a real client; `send` resolves with the next reply or `exception`, within 3 s. */
async function connect(kind: Kind, port: number, userId?: string): Promise<Connection> {
  const waitFor = (subscribe: (done: (reply: Reply) => void) => void) =>
    new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no reply within 3 s')), 3000);
      subscribe((reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
    });
  if (kind === 'socket.io') {
    const socket = io(`http://127.0.0.1:${port}`, {
      transports: ['websocket'],
      auth: userId ? { userId } : {},
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return {
      send: (event, data) =>
        waitFor((done) => {
          const on = (name: string) => (payload: unknown) => {
            socket.off('exception').off(event);
            done({ event: name, data: payload });
          };
          socket.once('exception', on('exception'));
          socket.once(event, on(event));
          socket.emit(event, data ?? {});
        }),
      close: () => socket.close(),
    };
  }
  const socket = new WebSocket(`ws://127.0.0.1:${port}`, { headers: userId ? { 'x-user-id': userId } : {} });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    send: (event, data) =>
      waitFor((done) => {
        socket.once('message', (raw: Buffer) => done(JSON.parse(raw.toString()) as Reply));
        socket.send(JSON.stringify({ event, data: data ?? {} }));
      }),
    close: () => socket.close(),
  };
}

async function startApp(
  kind: Kind,
  upstream: GenAuthEmulator,
  options: { global?: boolean; mfa?: Partial<MfaModuleOptions> } = {},
) {
  @Module({
    imports: [
      MfaModule.forRoot({
        ...emulatorOptions(upstream, { enrollmentUrl: 'https://example.com/enroll', ...options.mfa }),
        isGlobal: true,
      }),
    ],
    providers: [
      HandlerCalls,
      ...(options.global ? [GlobalGateway, { provide: APP_GUARD, useClass: RequireMfaBound() }] : [SecretsGateway]),
    ],
  })
  class AppModule {}

  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app: INestApplication = moduleRef.createNestApplication();
  if (kind === 'ws') app.useWebSocketAdapter(new WsAdapter(app));
  app.useLogger(false);
  await app.listen(0, '127.0.0.1');
  const port = Number(new URL(await app.getUrl()).port);
  const open: Connection[] = [];
  return {
    app,
    calls: app.get(HandlerCalls),
    async connect(userId?: string) {
      const connection = await connect(kind, port, userId);
      open.push(connection);
      return connection;
    },
    async close() {
      for (const connection of open) connection.close();
      await app.close();
    },
  };
}

describe.each<Kind>(['socket.io', 'ws'])('WebSockets (%s)', (kind) => {
  const emulator = useEmulator();
  let app: Awaited<ReturnType<typeof startApp>> | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('runs a guarded handler for a user with the factor', async () => {
    app = await startApp(kind, emulator());
    const socket = await app.connect('u-totp');
    expect(await socket.send('secret')).toEqual({ event: 'secret', data: 'the secret' });
    expect(app.calls.count).toBe(1);
  });

  it('answers MFA_NOT_BOUND as an exception with the HTTP body, and never runs the handler', async () => {
    app = await startApp(kind, emulator());
    const socket = await app.connect('u-none');
    expect(await socket.send('secret')).toEqual({
      event: 'exception',
      data: {
        statusCode: 403,
        code: 'MFA_NOT_BOUND',
        message: 'This route requires MFA: any of TOTP.',
        required: { anyOf: ['TOTP'] },
        boundFactors: [],
        missingFactors: ['TOTP'],
        enrollmentUrl: 'https://example.com/enroll',
      },
    });
    const partly = await app.connect('u-totp');
    expect(await partly.send('both', { n: 1 })).toMatchObject({
      event: 'exception',
      data: { code: 'MFA_NOT_BOUND', boundFactors: ['TOTP'], missingFactors: ['EMAIL', 'SMS'] },
    });
    expect(app.calls.count).toBe(0);
  });

  it('answers a step-up challenge as an exception with the body (MFA_STEP_UP_REQUIRED, the window)', async () => {
    app = await startApp(kind, emulator());
    const socket = await app.connect('u-totp');
    expect(await socket.send('transfer')).toMatchObject({
      event: 'exception',
      data: { statusCode: 401, code: 'MFA_STEP_UP_REQUIRED', maxAgeSeconds: 300, required: { anyOf: ['TOTP'] } },
    });
    expect(app.calls.count).toBe(0);
  });

  it('answers MFA_USER_UNRESOLVED on a connection with no user', async () => {
    app = await startApp(kind, emulator());
    const socket = await app.connect();
    expect(await socket.send('secret')).toEqual({
      event: 'exception',
      data: { statusCode: 401, code: 'MFA_USER_UNRESOLVED', message: 'No authenticated user to check MFA for.' },
    });
    expect(app.calls.count).toBe(0);
    expect(emulator().requestCount()).toBe(0);
  });

  it('answers MFA_UNAVAILABLE with retryAfterSeconds when GenAuth fails', async () => {
    app = await startApp(kind, emulator(), { mfa: { maxRetries: 0 } });
    emulator().setFault('get-user-mfa-info', { httpStatus: 500 });
    const socket = await app.connect('u-totp');
    expect(await socket.send('secret')).toMatchObject({
      event: 'exception',
      data: { statusCode: 503, code: 'MFA_UNAVAILABLE', retryAfterSeconds: 5 },
    });
    expect(app.calls.count).toBe(0);
  });

  it('looks a connection up once and reuses the answer across its messages, within the cache rules', async () => {
    app = await startApp(kind, emulator());
    const socket = await app.connect('u-sms-email');
    for (let i = 0; i < 20; i += 1) expect(await socket.send('both', { i })).toEqual({ event: 'both', data: { i } });
    const other = await app.connect('u-sms-email');
    expect((await other.send('both', { i: 'other' })).event).toBe('both');
    expect(emulator().requestCount('get-user-mfa-info')).toBe(1);
    expect(app.calls.count).toBe(21);
  });

  it('applies a global guard with defaultPolicy to gateways, and @SkipMfa exempts a handler', async () => {
    app = await startApp(kind, emulator(), { global: true, mfa: { defaultPolicy: 'FACE' } });
    expect(await (await app.connect('u-face')).send('secret')).toEqual({ event: 'secret', data: 'face ok' });
    expect(await (await app.connect('u-totp')).send('secret')).toMatchObject({
      event: 'exception',
      data: { code: 'MFA_NOT_BOUND', missingFactors: ['FACE'] },
    });
    expect(await (await app.connect()).send('open')).toEqual({ event: 'open', data: 'open' });
    expect(app.calls.count).toBe(2);
  });

  it('takes the user from the message when an async resolveUser says so', async () => {
    app = await startApp(kind, emulator(), {
      mfa: {
        // Async, as a lookup of the account behind a session would be.
        resolveUser: async (context: ExecutionContext) => {
          await new Promise((resolve) => setTimeout(resolve, 2));
          const data = context.switchToWs().getData<{ as?: unknown }>();
          return typeof data.as === 'string' ? { userId: data.as } : undefined;
        },
      },
    });
    const socket = await app.connect();
    expect(await socket.send('both', { as: 'u-sms-email' })).toEqual({ event: 'both', data: { as: 'u-sms-email' } });
    expect((await socket.send('both', { as: 'u-face' })).event).toBe('exception');
  });
});
