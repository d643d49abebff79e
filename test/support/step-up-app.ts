import type { CanActivate, ExecutionContext, INestApplication, Type } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { MfaModule, type MfaModuleOptions } from 'nestjs-genauth-mfa';
import type { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import type { AdapterName } from './guard-app.js';

type Req = { headers: Record<string, string | undefined>; user?: unknown };

/** The bearer token of a request, or ''. */
export const bearerOf = (req: Req): string => /^Bearer (.+)$/.exec(req.headers['authorization'] ?? '')?.[1] ?? '';

/**
 * Sets `request.user` from the bearer token's `sub` (unverified: the emulator issued it). Step-up tests put it
 * before the MFA guard, where an app puts its authentication guard.
 */
export const userFromToken: CanActivate = {
  canActivate(context: ExecutionContext) {
    const req = context.switchToHttp().getRequest<Req>();
    const token = bearerOf(req);
    if (token) req.user = { id: JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub };
    return true;
  },
};

/** An app with `MfaModule` on the emulator (application `demo-app`) and the controllers, on loopback. */
export async function startFactorApp(
  emulator: GenAuthEmulator,
  adapter: AdapterName,
  controllers: Type[],
  extra: Partial<MfaModuleOptions> = {},
): Promise<{ started: INestApplication; at: string }> {
  const moduleRef = await Test.createTestingModule({
    imports: [MfaModule.forRoot({ host: emulator.url, ...emulator.credentials[0]!, appId: 'demo-app', ...extra })],
    controllers,
  }).compile();
  const started =
    adapter === 'fastify' ? moduleRef.createNestApplication(new FastifyAdapter()) : moduleRef.createNestApplication();
  started.useLogger(false);
  await started.listen(0, '127.0.0.1');
  return { started, at: (await started.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1') };
}
