import { Controller, Get, HttpCode, Module, Post, UseGuards } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiUnauthorizedResponse,
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
} from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MfaModule, RequireMfaBound, SkipMfa } from 'nestjs-genauth-mfa';
import { ApiMfaResponses } from 'nestjs-genauth-mfa/swagger';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { emulatorOptions, startEmulator } from '../support/emulator-app.js';

@ApiMfaResponses()
@UseGuards(RequireMfaBound('TOTP'))
@Controller('payments')
class PaymentsController {
  @Post() pay() {
    return { ok: true };
  }
  @ApiUnauthorizedResponse({ description: 'No bearer token' })
  @Get('history')
  history() {
    return [];
  }
  @ApiOkResponse({ description: 'The refunds' })
  @Get('refunds')
  refunds() {
    return [];
  }
  @HttpCode(202)
  @Post('batch')
  batch() {
    return { queued: true };
  }
  @SkipMfa() @Get('status') status() {
    return { ok: true };
  }
  helper() {
    return 'not a route';
  }
}

@Controller('public')
class PublicController {
  @Get() open() {
    return { ok: true };
  }
  @ApiMfaResponses({ browserRedirect: true })
  @UseGuards(RequireMfaBound('FACE'))
  @Get('page')
  page() {
    return 'page';
  }
}

interface Documented {
  description: string;
  headers: Record<string, unknown>;
  content: {
    'application/json': {
      schema: {
        required: string[];
        properties: Record<string, { enum?: string[]; type?: string; items: { enum: string[] } }>;
      };
    };
  };
}

describe('OpenAPI documentation of the MFA answers', () => {
  let emulator: GenAuthEmulator;
  let document: OpenAPIObject;
  let close: () => Promise<void>;

  beforeAll(async () => {
    emulator = await startEmulator();
    @Module({
      imports: [MfaModule.forRoot({ ...emulatorOptions(emulator), isGlobal: true })],
      controllers: [PaymentsController, PublicController],
    })
    class AppModule {}
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    const app = moduleRef.createNestApplication();
    app.useLogger(false);
    await app.init();
    document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('t').build());
    close = () => app.close();
  });
  afterAll(async () => {
    await close();
    await emulator.stop();
  });

  const responses = (path: string, method: 'get' | 'post') =>
    (document.paths[path]?.[method]?.responses ?? {}) as Record<string, Documented>;

  it('adds 401, 403 and 503 with their schemas to guarded operations', () => {
    const pay = responses('/payments', 'post');
    expect(Object.keys(pay)).toEqual(expect.arrayContaining(['401', '403', '503']));
    const forbidden = pay['403']!.content['application/json'].schema;
    expect(forbidden.properties['code']?.enum).toEqual(['MFA_NOT_BOUND']);
    expect(forbidden.properties['missingFactors']?.items.enum).toEqual(['EMAIL', 'SMS', 'TOTP', 'FACE']);
    expect(forbidden.required).toEqual(expect.arrayContaining(['required', 'boundFactors', 'missingFactors']));
    expect(pay['503']?.headers['Retry-After']).toBeDefined();
    expect(pay['503']?.content['application/json'].schema.properties['retryAfterSeconds']).toMatchObject({
      type: 'integer',
    });
    expect(pay['401']?.content['application/json'].schema.properties['code']?.enum).toEqual([
      'MFA_USER_UNRESOLVED',
      'MFA_STEP_UP_REQUIRED',
    ]);
  });

  it('leaves @SkipMfa routes and unguarded routes alone, and keeps what an operation documents itself', () => {
    expect(Object.keys(responses('/payments/status', 'get'))).not.toEqual(expect.arrayContaining(['403']));
    expect(responses('/payments/status', 'get')['503']).toBeUndefined();
    expect(responses('/public', 'get')['403']).toBeUndefined();
    expect(responses('/payments/history', 'get')['401']?.description).toBe('No bearer token');
    expect(responses('/payments/history', 'get')['403']).toBeDefined();
  });

  it("keeps each operation's success response: the default 200/201, @HttpCode's, or its own", () => {
    expect(Object.keys(responses('/payments', 'post'))).toContain('201');
    expect(Object.keys(responses('/payments/history', 'get'))).toContain('200');
    expect(responses('/payments/refunds', 'get')['200']?.description).toBe('The refunds');
    expect(Object.keys(responses('/payments/batch', 'post'))).toEqual(expect.arrayContaining(['202', '403']));
    expect(Object.keys(responses('/payments/batch', 'post'))).not.toContain('201');
    expect(Object.keys(responses('/public/page', 'get'))).toEqual(expect.arrayContaining(['200', '303', '403']));
  });

  it('documents the browser 303 when asked to', () => {
    const page = responses('/public/page', 'get');
    expect(page['303']?.headers['Location']).toBeDefined();
    expect(page['403']).toBeDefined();
    expect(responses('/payments', 'post')['303']).toBeUndefined();
  });
});
