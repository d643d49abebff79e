import {
  Controller,
  Get,
  Injectable,
  Module,
  Query,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
  type INestApplication,
  type LoggerService,
  type ModuleMetadata,
  type Provider,
  type Type,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { MfaFailOpen, MfaModule, MfaPolicy, RequireMfaBound, SkipMfa, type MfaModuleOptions } from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { emulatorOptions } from './emulator-app.js';

export type AdapterName = 'express' | 'fastify';
type ModuleImport = NonNullable<ModuleMetadata['imports']>[number];

/** Counts handler calls, so that tests can show a denied request never reached its handler. */
@Injectable()
export class HandlerCalls {
  count = 0;
}

/** Stands in for the app's authentication: `x-user-id` becomes `request.user.id`. */
@Injectable()
export class HeaderAuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string>; user?: unknown }>();
    const id = request.headers['x-user-id'];
    if (id) request.user = { id };
    return true;
  }
}

@UseGuards(HeaderAuthGuard)
@Controller('r')
export class RoutesController {
  constructor(private readonly calls: HandlerCalls) {}

  private ok(route: string) {
    this.calls.count += 1;
    return { ok: true, route };
  }

  @Get('public') pub() {
    return this.ok('public');
  }
  @UseGuards(RequireMfaBound('TOTP')) @Get('totp') totp() {
    return this.ok('totp');
  }
  @UseGuards(RequireMfaBound('OTP')) @Get('otp') otp() {
    return this.ok('otp');
  }
  @UseGuards(RequireMfaBound('SMS')) @Get('sms') sms() {
    return this.ok('sms');
  }
  @UseGuards(RequireMfaBound('EMAIL')) @Get('email') email() {
    return this.ok('email');
  }
  @UseGuards(RequireMfaBound('FACE')) @Get('face') face() {
    return this.ok('face');
  }
  @UseGuards(RequireMfaBound(['SMS', 'TOTP'])) @Get('list') list() {
    return this.ok('list');
  }
  @UseGuards(RequireMfaBound({ anyOf: ['FACE', 'EMAIL'] })) @Get('any') any() {
    return this.ok('any');
  }
  @UseGuards(RequireMfaBound({ allOf: ['SMS', 'EMAIL'] })) @Get('all') all() {
    return this.ok('all');
  }
  @UseGuards(
    RequireMfaBound((ctx) => ctx.switchToHttp().getRequest<{ query: { need?: 'FACE' } }>().query.need ?? 'TOTP'),
  )
  @Get('dynamic')
  dynamic(@Query('need') _need?: string) {
    return this.ok('dynamic');
  }
  @UseGuards(
    RequireMfaBound(async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return ctx.switchToHttp().getRequest<{ query: { need?: 'FACE' } }>().query.need ?? 'TOTP';
    }),
  )
  @Get('async-policy')
  asyncPolicy(@Query('need') _need?: string) {
    return this.ok('async-policy');
  }
  @UseGuards(RequireMfaBound('SMS'), RequireMfaBound({ anyOf: ['SMS', 'FACE'] })) @Get('twice') twice() {
    return this.ok('twice');
  }
  @MfaFailOpen() @UseGuards(RequireMfaBound('TOTP')) @Get('fail-open') failOpen() {
    return this.ok('fail-open');
  }
}

@MfaPolicy('SMS')
@UseGuards(HeaderAuthGuard, RequireMfaBound())
@Controller('ctl')
export class PolicyController {
  constructor(private readonly calls: HandlerCalls) {}

  @Get('inherit') inherit() {
    this.calls.count += 1;
    return { ok: true };
  }
  @MfaPolicy('TOTP') @Get('override') override() {
    this.calls.count += 1;
    return { ok: true };
  }
  @SkipMfa() @Get('skipped') skipped() {
    this.calls.count += 1;
    return { ok: true };
  }
}

/** Routes guarded only by a global `RequireMfaBound()` (APP_GUARD) with the module's defaultPolicy. */
@Controller('g')
export class GlobalController {
  constructor(private readonly calls: HandlerCalls) {}

  @Get('default') byDefault() {
    this.calls.count += 1;
    return { ok: true };
  }
  @MfaPolicy('FACE') @Get('face') face() {
    this.calls.count += 1;
    return { ok: true };
  }
  @SkipMfa() @Get('open') open() {
    this.calls.count += 1;
    return { ok: true };
  }
}

export interface GuardApp {
  app: INestApplication;
  url: string;
  calls: HandlerCalls;
  get(path: string, userId?: string): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>;
  close(): Promise<void>;
}

export async function createGuardApp(
  adapter: AdapterName,
  emulator: GenAuthEmulator,
  options: {
    mfa?: Partial<MfaModuleOptions>;
    global?: boolean;
    controllers?: Type[];
    providers?: Provider[];
    imports?: ModuleImport[];
    logger?: LoggerService;
  } = {},
): Promise<GuardApp> {
  @Module({
    imports: [
      MfaModule.forRoot({ ...emulatorOptions(emulator, options.mfa), isGlobal: true }),
      ...(options.imports ?? []),
    ],
    controllers: options.controllers ?? (options.global ? [GlobalController] : [RoutesController, PolicyController]),
    providers: [
      HandlerCalls,
      ...(options.global
        ? [
            { provide: APP_GUARD, useClass: HeaderAuthGuard },
            { provide: APP_GUARD, useClass: RequireMfaBound() },
          ]
        : []),
      ...(options.providers ?? []),
    ],
  })
  class AppModule {}

  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app =
    adapter === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter()) : moduleRef.createNestApplication();
  app.useLogger(options.logger ?? false);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  const calls = app.get(HandlerCalls);
  return {
    app,
    url,
    calls,
    async get(path, userId) {
      const response = await fetch(`${url}${path}`, { headers: userId ? { 'x-user-id': userId } : {} });
      const text = await response.text();
      return {
        status: response.status,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
        headers: response.headers,
      };
    },
    close: () => app.close(),
  };
}
