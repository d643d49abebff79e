import { Injectable, Module, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Field, GqlExecutionContext, GraphQLModule, ObjectType, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MfaModule, MfaPolicy, RequireMfaBound, SkipMfa, type MfaModuleOptions } from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { emulatorOptions } from '../support/emulator-app.js';
import { useEmulator } from '../support/emulator-hooks.js';
import { HandlerCalls } from '../support/guard-app.js';

/** The app's authentication for GraphQL: `x-user-id` becomes `req.user.id` on the GraphQL context's request. */
@Injectable()
class GqlHeaderAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = GqlExecutionContext.create(context).getContext<{
      req: { headers: Record<string, string>; user?: unknown };
    }>().req;
    const id = req.headers['x-user-id'];
    if (id) req.user = { id };
    return true;
  }
}

@ObjectType()
class Profile {
  @Field() name!: string;
  @Field({ nullable: true }) phone?: string;
  @Field({ nullable: true }) email?: string;
}

@UseGuards(GqlHeaderAuthGuard)
@Resolver(() => Profile)
class AccountResolver {
  constructor(private readonly calls: HandlerCalls) {}

  @UseGuards(RequireMfaBound('TOTP'))
  @Query(() => String, { nullable: true })
  secret(): string {
    this.calls.count += 1;
    return 'the secret';
  }

  @UseGuards(RequireMfaBound('TOTP'))
  @Query(() => String)
  strict(): string {
    this.calls.count += 1;
    return 'strict';
  }

  @UseGuards(RequireMfaBound('TOTP', { verifiedWithin: '5m' }))
  @Query(() => String, { nullable: true })
  transfer(): string {
    this.calls.count += 1;
    return 'transferred';
  }

  @Query(() => String)
  open(): string {
    this.calls.count += 1;
    return 'open';
  }

  @Query(() => Profile)
  profile(): Profile {
    return { name: 'Sam' };
  }

  @UseGuards(RequireMfaBound('SMS'))
  @ResolveField(() => String, { nullable: true })
  phone(): string {
    this.calls.count += 1;
    return '+86 138';
  }

  @UseGuards(RequireMfaBound())
  @MfaPolicy({ anyOf: ['EMAIL', 'TOTP'] })
  @ResolveField(() => String, { nullable: true })
  email(): string {
    this.calls.count += 1;
    return 'sam@example.com';
  }
}

/** Guarded only by a global RequireMfaBound() with the module's defaultPolicy (FACE). */
@Resolver()
class GlobalResolver {
  constructor(private readonly calls: HandlerCalls) {}

  @Query(() => String, { nullable: true })
  byDefault(): string {
    this.calls.count += 1;
    return 'face ok';
  }

  @SkipMfa()
  @Query(() => String)
  skipped(): string {
    this.calls.count += 1;
    return 'skipped';
  }
}

type Server = 'apollo-express' | 'mercurius-fastify';

interface GqlAnswer {
  status: number;
  headers: Headers;
  data: Record<string, unknown> | null;
  errors: { message: string; path?: string[]; extensions: Record<string, unknown> }[];
}

async function startApp(
  server: Server,
  upstream: GenAuthEmulator,
  options: { global?: boolean; mfa?: Partial<MfaModuleOptions> } = {},
) {
  const graphql =
    server === 'apollo-express'
      ? GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          autoSchemaFile: true,
          fieldResolverEnhancers: ['guards'],
        })
      : GraphQLModule.forRoot<MercuriusDriverConfig>({
          driver: MercuriusDriver,
          autoSchemaFile: true,
          fieldResolverEnhancers: ['guards'],
        });

  @Module({
    imports: [
      MfaModule.forRoot({
        ...emulatorOptions(upstream, { enrollmentUrl: 'https://example.com/enroll', ...options.mfa }),
        isGlobal: true,
      }),
      graphql,
    ],
    providers: [
      HandlerCalls,
      ...(options.global
        ? [
            GlobalResolver,
            { provide: APP_GUARD, useClass: GqlHeaderAuthGuard },
            { provide: APP_GUARD, useClass: RequireMfaBound() },
          ]
        : [AccountResolver]),
    ],
  })
  class AppModule {}

  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app =
    server === 'mercurius-fastify'
      ? moduleRef.createNestApplication(new FastifyAdapter())
      : moduleRef.createNestApplication();
  app.useLogger(false);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  return {
    app,
    calls: app.get(HandlerCalls),
    async query(query: string, userId?: string): Promise<GqlAnswer> {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(userId ? { 'x-user-id': userId } : {}) },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as Partial<GqlAnswer>;
      return { status: response.status, headers: response.headers, data: body.data ?? null, errors: body.errors ?? [] };
    },
  };
}

describe.each<Server>(['apollo-express', 'mercurius-fastify'])('GraphQL (%s)', (server) => {
  const emulator = useEmulator();
  let app: Awaited<ReturnType<typeof startApp>>;

  afterEach(async () => {
    await app?.app.close();
  });

  it('runs a guarded resolver for a user with the factor', async () => {
    app = await startApp(server, emulator());
    const answer = await app.query('{ secret open }', 'u-totp');
    expect(answer.errors).toEqual([]);
    expect(answer.data).toEqual({ secret: 'the secret', open: 'open' });
    expect(app.calls.count).toBe(2);
  });

  it('answers MFA_NOT_BOUND with the HTTP body in extensions, and never runs the resolver', async () => {
    app = await startApp(server, emulator());
    const answer = await app.query('{ secret open }', 'u-none');
    expect(answer.data).toEqual({ secret: null, open: 'open' });
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors[0]).toMatchObject({
      message: 'This route requires MFA: any of TOTP.',
      path: ['secret'],
      extensions: {
        code: 'MFA_NOT_BOUND',
        statusCode: 403,
        required: { anyOf: ['TOTP'] },
        boundFactors: [],
        missingFactors: ['TOTP'],
        enrollmentUrl: 'https://example.com/enroll',
      },
    });
    expect(app.calls.count).toBe(1);
  });

  it('sets the HTTP status where the server does: Mercurius when no data is left, Apollo never', async () => {
    app = await startApp(server, emulator());
    const answer = await app.query('{ strict }', 'u-none');
    expect(answer.data).toBeNull();
    expect(answer.errors[0]?.extensions).toMatchObject({ code: 'MFA_NOT_BOUND', statusCode: 403 });
    expect(answer.status).toBe(server === 'mercurius-fastify' ? 403 : 200);
  });

  it('answers a step-up challenge (MFA_STEP_UP_REQUIRED, 401, the window) in extensions', async () => {
    app = await startApp(server, emulator());
    const answer = await app.query('{ transfer }', 'u-totp');
    expect(answer.data).toEqual({ transfer: null });
    expect(answer.errors[0]).toMatchObject({
      path: ['transfer'],
      extensions: { code: 'MFA_STEP_UP_REQUIRED', statusCode: 401, maxAgeSeconds: 300, required: { anyOf: ['TOTP'] } },
    });
    expect(app.calls.count).toBe(0);
  });

  it('answers MFA_USER_UNRESOLVED without a user', async () => {
    app = await startApp(server, emulator());
    const answer = await app.query('{ secret }');
    expect(answer.data).toEqual({ secret: null });
    expect(answer.errors[0]?.extensions).toMatchObject({ code: 'MFA_USER_UNRESOLVED', statusCode: 401 });
    expect(app.calls.count).toBe(0);
    expect(emulator().requestCount()).toBe(0);
  });

  it('answers MFA_UNAVAILABLE with retryAfterSeconds and a Retry-After header when GenAuth fails', async () => {
    app = await startApp(server, emulator(), { mfa: { maxRetries: 0 } });
    emulator().setFault('get-user-mfa-info', { httpStatus: 500 });
    const answer = await app.query('{ secret }', 'u-totp');
    expect(answer.errors[0]?.extensions).toMatchObject({
      code: 'MFA_UNAVAILABLE',
      statusCode: 503,
      retryAfterSeconds: 5,
    });
    expect(answer.headers.get('retry-after')).toBe('5');
    expect(app.calls.count).toBe(0);
  });

  it('guards fields: each field its own policy, one lookup for the whole query even with no cache', async () => {
    app = await startApp(server, emulator(), { mfa: { cache: { ttlMs: 0, negativeTtlMs: 0 } } });
    const bob = await app.query('{ profile { name phone email } }', 'u-sms-email');
    expect(bob.errors).toEqual([]);
    expect(bob.data).toEqual({ profile: { name: 'Sam', phone: '+86 138', email: 'sam@example.com' } });
    expect(emulator().requestCount('get-user-mfa-info')).toBe(1);

    const tom = await app.query('{ profile { name phone email } }', 'u-totp');
    expect(tom.data).toEqual({ profile: { name: 'Sam', phone: null, email: 'sam@example.com' } });
    expect(tom.errors).toHaveLength(1);
    expect(tom.errors[0]).toMatchObject({
      path: ['profile', 'phone'],
      extensions: { code: 'MFA_NOT_BOUND', missingFactors: ['SMS'] },
    });
    expect(emulator().requestCount('get-user-mfa-info')).toBe(2);
    expect(app.calls.count).toBe(3);
  });

  it('shares one upstream call among concurrent operations of one user', async () => {
    app = await startApp(server, emulator());
    emulator().setFault('get-user-mfa-info', { latencyMs: 50 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => app.query('{ secret }', 'u-totp')));
    expect(answers.every((a) => a.data?.['secret'] === 'the secret')).toBe(true);
    expect(emulator().requestCount('get-user-mfa-info')).toBe(1);
  });

  it('applies a global guard with defaultPolicy to resolvers, and @SkipMfa exempts one', async () => {
    app = await startApp(server, emulator(), { global: true, mfa: { defaultPolicy: 'FACE' } });
    expect((await app.query('{ byDefault }', 'u-face')).data).toEqual({ byDefault: 'face ok' });
    const denied = await app.query('{ byDefault }', 'u-totp');
    expect(denied.errors[0]?.extensions).toMatchObject({ code: 'MFA_NOT_BOUND', missingFactors: ['FACE'] });
    expect((await app.query('{ skipped }')).data).toEqual({ skipped: 'skipped' });
    expect(app.calls.count).toBe(2);
  });
});
