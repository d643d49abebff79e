import { Controller, Module, UseGuards, type ExecutionContext, type INestMicroservice } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import {
  ClientProxyFactory,
  GrpcMethod,
  MessagePattern,
  Payload,
  Transport,
  type ClientProxy,
  type MicroserviceOptions,
} from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import { firstValueFrom } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultMfaUser, MfaModule, RequireMfaBound, SkipMfa, type MfaModuleOptions } from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { emulatorOptions, startEmulator } from '../support/emulator-app.js';
import { freePort } from '../support/free-port.js';
import { HandlerCalls, RoutesController } from '../support/guard-app.js';

const PROTO = fileURLToPath(new URL('../fixtures/secrets.proto', import.meta.url));

@Controller()
class TcpSecretsController {
  constructor(private readonly calls: HandlerCalls) {}

  @UseGuards(RequireMfaBound('TOTP'))
  @MessagePattern('secret')
  secret(@Payload() payload: { n?: number }) {
    this.calls.count += 1;
    return { secret: 'the secret', n: payload.n };
  }

  @UseGuards(RequireMfaBound('TOTP', { verifiedWithin: '5m' }))
  @MessagePattern('transfer')
  transfer() {
    this.calls.count += 1;
    return 'transferred';
  }
}

/** Guarded only by a global RequireMfaBound() with the module's defaultPolicy (FACE). */
@Controller()
class TcpGlobalController {
  constructor(private readonly calls: HandlerCalls) {}

  @MessagePattern('secret')
  secret() {
    this.calls.count += 1;
    return 'face ok';
  }

  @SkipMfa()
  @MessagePattern('open')
  open() {
    this.calls.count += 1;
    return 'open';
  }
}

@Controller()
class GrpcSecretsController {
  constructor(private readonly calls: HandlerCalls) {}

  @UseGuards(RequireMfaBound('TOTP'))
  @GrpcMethod('Secrets', 'Get')
  get(request: { name: string }) {
    this.calls.count += 1;
    return { value: `the ${request.name}` };
  }
}

/** gRPC carries the user in metadata: here `x-user-id`, standing in for a verified token. */
function userFromMetadataOrDefault(context: ExecutionContext) {
  const metadata = context.switchToRpc().getContext<unknown>();
  if (metadata instanceof grpc.Metadata) {
    const id = metadata.get('x-user-id')[0];
    return typeof id === 'string' ? { userId: id } : undefined;
  }
  return defaultMfaUser(context);
}

async function startMicroservice(
  transport: 'tcp' | 'grpc',
  emulator: GenAuthEmulator,
  options: { global?: boolean; mfa?: Partial<MfaModuleOptions> } = {},
) {
  @Module({
    imports: [MfaModule.forRoot({ ...emulatorOptions(emulator, options.mfa), isGlobal: true })],
    controllers: [
      transport === 'grpc' ? GrpcSecretsController : options.global ? TcpGlobalController : TcpSecretsController,
    ],
    providers: [HandlerCalls, ...(options.global ? [{ provide: APP_GUARD, useClass: RequireMfaBound() }] : [])],
  })
  class AppModule {}

  const port = await freePort();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app: INestMicroservice = moduleRef.createNestMicroservice<MicroserviceOptions>(
    transport === 'tcp'
      ? { transport: Transport.TCP, options: { host: '127.0.0.1', port } }
      : { transport: Transport.GRPC, options: { package: 'secrets', protoPath: PROTO, url: `127.0.0.1:${port}` } },
  );
  app.useLogger(false);
  await app.listen();
  return { app, port, calls: app.get(HandlerCalls) };
}

describe('microservices over TCP, with a ClientProxy', () => {
  let emulator: GenAuthEmulator;
  let service: Awaited<ReturnType<typeof startMicroservice>> | undefined;
  let client: ClientProxy | undefined;

  async function start(options: Parameters<typeof startMicroservice>[2] = {}) {
    service = await startMicroservice('tcp', emulator, options);
    client = ClientProxyFactory.create({
      transport: Transport.TCP,
      options: { host: '127.0.0.1', port: service.port },
    });
    await client.connect();
  }
  const send = (pattern: string, payload: object) => firstValueFrom(client!.send<unknown>(pattern, payload));

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.stop();
  });
  afterEach(async () => {
    emulator.clearFaults();
    emulator.resetCounts();
    await client?.close();
    await service?.app.close();
    client = service = undefined;
  });

  it('runs a guarded handler for a payload whose user has the factor', async () => {
    await start();
    expect(await send('secret', { user: { id: 'u-totp' }, n: 1 })).toEqual({ secret: 'the secret', n: 1 });
    expect(service!.calls.count).toBe(1);
  });

  it('answers MFA_NOT_BOUND as an RpcException with the HTTP body', async () => {
    await start({ mfa: { enrollmentUrl: 'https://example.com/enroll' } });
    await expect(send('secret', { user: { id: 'u-none' } })).rejects.toEqual({
      statusCode: 403,
      code: 'MFA_NOT_BOUND',
      message: 'This route requires MFA: any of TOTP.',
      required: { anyOf: ['TOTP'] },
      boundFactors: [],
      missingFactors: ['TOTP'],
      enrollmentUrl: 'https://example.com/enroll',
    });
    expect(service!.calls.count).toBe(0);
  });

  it('answers a step-up challenge as an RpcException with the body (MFA_STEP_UP_REQUIRED, the window)', async () => {
    await start();
    await expect(send('transfer', { user: { id: 'u-totp' } })).rejects.toMatchObject({
      statusCode: 401,
      code: 'MFA_STEP_UP_REQUIRED',
      maxAgeSeconds: 300,
    });
    expect(service!.calls.count).toBe(0);
  });

  it('answers MFA_USER_UNRESOLVED for a payload without a user', async () => {
    await start();
    await expect(send('secret', { n: 1 })).rejects.toEqual({
      statusCode: 401,
      code: 'MFA_USER_UNRESOLVED',
      message: 'No authenticated user to check MFA for.',
    });
    expect(emulator.requestCount()).toBe(0);
    expect(service!.calls.count).toBe(0);
  });

  it('answers MFA_UNAVAILABLE with retryAfterSeconds when GenAuth fails', async () => {
    await start({ mfa: { maxRetries: 0 } });
    emulator.setFault('get-user-mfa-info', { httpStatus: 500 });
    await expect(send('secret', { user: { id: 'u-totp' } })).rejects.toMatchObject({
      statusCode: 503,
      code: 'MFA_UNAVAILABLE',
      retryAfterSeconds: 5,
    });
    expect(service!.calls.count).toBe(0);
  });

  it('shares one upstream call among concurrent messages of one user, and caches it', async () => {
    await start();
    emulator.setFault('get-user-mfa-info', { latencyMs: 50 });
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, n) => send('secret', { user: { id: 'u-totp' }, n })),
    );
    expect(answers).toHaveLength(40);
    expect(await send('secret', { user: { id: 'u-totp' }, n: 41 })).toEqual({ secret: 'the secret', n: 41 });
    expect(emulator.requestCount('get-user-mfa-info')).toBe(1);
    expect(service!.calls.count).toBe(41);
  });

  it('applies a global guard with defaultPolicy to message handlers, and @SkipMfa exempts one', async () => {
    await start({ global: true, mfa: { defaultPolicy: 'FACE' } });
    expect(await send('secret', { user: { id: 'u-face' } })).toBe('face ok');
    await expect(send('secret', { user: { id: 'u-totp' } })).rejects.toMatchObject({
      code: 'MFA_NOT_BOUND',
      missingFactors: ['FACE'],
    });
    expect(await send('open', {})).toBe('open');
    expect(service!.calls.count).toBe(2);
  });
});

describe('microservices over gRPC, with a grpc-js client and the user in metadata', () => {
  let emulator: GenAuthEmulator;
  let service: Awaited<ReturnType<typeof startMicroservice>>;
  let client: grpc.Client & {
    Get(
      request: { name: string },
      metadata: grpc.Metadata,
      callback: (error: grpc.ServiceError | null, reply?: { value: string }) => void,
    ): void;
  };

  function get(name: string, userId?: string): Promise<{ value: string }> {
    const metadata = new grpc.Metadata();
    if (userId) metadata.set('x-user-id', userId);
    return new Promise((resolve, reject) =>
      client.Get({ name }, metadata, (error, reply) => (error ? reject(error) : resolve(reply!))),
    );
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    service = await startMicroservice('grpc', emulator, {
      mfa: { resolveUser: userFromMetadataOrDefault, maxRetries: 0 },
    });
    const loaded = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO)) as unknown as {
      secrets: { Secrets: new (address: string, credentials: grpc.ChannelCredentials) => typeof client };
    };
    client = new loaded.secrets.Secrets(`127.0.0.1:${service.port}`, grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    client.close();
    await service.app.close();
    await emulator.stop();
  });
  afterEach(() => {
    emulator.clearFaults();
    service.calls.count = 0;
  });

  it('runs the method for a user with the factor', async () => {
    expect(await get('secret', 'u-totp')).toEqual({ value: 'the secret' });
    expect(service.calls.count).toBe(1);
  });

  it.each([
    [
      'PERMISSION_DENIED for MFA_NOT_BOUND',
      'u-none',
      grpc.status.PERMISSION_DENIED,
      { code: 'MFA_NOT_BOUND', missingFactors: ['TOTP'] },
    ],
    [
      'UNAUTHENTICATED for MFA_USER_UNRESOLVED',
      undefined,
      grpc.status.UNAUTHENTICATED,
      { code: 'MFA_USER_UNRESOLVED' },
    ],
  ])('answers %s, with the body as JSON in details', async (_name, userId, code, body) => {
    const error = (await get('secret', userId).catch((e: unknown) => e)) as grpc.ServiceError;
    expect(error.code).toBe(code);
    expect(JSON.parse(error.details)).toMatchObject(body);
    expect(service.calls.count).toBe(0);
  });

  it('answers UNAVAILABLE for MFA_UNAVAILABLE', async () => {
    emulator.setFault('get-user-mfa-info', { httpStatus: 500 });
    const error = (await get('secret', 'u-face').catch((e: unknown) => e)) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.UNAVAILABLE);
    expect(JSON.parse(error.details)).toMatchObject({ code: 'MFA_UNAVAILABLE', retryAfterSeconds: 5 });
    expect(service.calls.count).toBe(0);
  });
});

describe('one app serving HTTP and TCP', () => {
  it('shares the cache and the single flight between transports: one lookup per user', async () => {
    const emulator = await startEmulator();
    @Module({
      imports: [MfaModule.forRoot({ ...emulatorOptions(emulator), isGlobal: true })],
      controllers: [RoutesController, TcpSecretsController],
      providers: [HandlerCalls],
    })
    class HybridModule {}
    const port = await freePort();
    const moduleRef = await Test.createTestingModule({ imports: [HybridModule] }).compile();
    const app = moduleRef.createNestApplication();
    app.useLogger(false);
    app.connectMicroservice<MicroserviceOptions>({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
    await app.startAllMicroservices();
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
    const client = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
    try {
      emulator.setFault('get-user-mfa-info', { latencyMs: 50 });
      const [http, rpc] = await Promise.all([
        fetch(`${url}/r/totp`, { headers: { 'x-user-id': 'u-totp' } }),
        firstValueFrom(client.send('secret', { user: { id: 'u-totp' }, n: 1 })),
      ]);
      expect(http.status).toBe(200);
      expect(rpc).toEqual({ secret: 'the secret', n: 1 });
      expect((await fetch(`${url}/r/totp`, { headers: { 'x-user-id': 'u-totp' } })).status).toBe(200);
      expect(await firstValueFrom(client.send('secret', { user: { id: 'u-totp' }, n: 2 }))).toEqual({
        secret: 'the secret',
        n: 2,
      });
      expect(emulator.requestCount('get-user-mfa-info')).toBe(1);
    } finally {
      await client.close();
      await app.close();
      await emulator.stop();
    }
  });
});
