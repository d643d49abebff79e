import { randomBytes } from 'node:crypto';

/** The sample app's configuration, read from the environment (or a `.env` file). */
export interface SampleConfig {
  /** `emulator` when no GenAuth key is given, `genauth` when it talks to the real GenAuth. */
  mode: 'emulator' | 'genauth';
  accessKeyId: string | undefined;
  accessKeySecret: string | undefined;
  host: string | undefined;
  /** The application's host (Authentication API: sign-in, factors). Default: `host`. */
  appHost: string | undefined;
  appId: string;
  /** The application's secret, when its token endpoint wants one (`client_secret_basic`). */
  appSecret: string | undefined;
  port: number;
  jwtSecret: string;
  /** Whether `POST /auth/demo-token` may issue tokens (always in emulator mode). */
  demoTokens: boolean;
  /** The webhook secret: GenAuth's webhooks are received at `POST /genauth/webhook` when it is set. */
  webhookSecret: string | undefined;
}

/** A configuration error: one line that names the variable. */
export class SampleConfigError extends Error {
  constructor(variable: string, detail: string) {
    super(`${variable} ${detail}`);
    this.name = 'SampleConfigError';
  }
}

/** Reads and checks the environment. Throws {@link SampleConfigError} on the first bad variable. */
export function loadSampleConfig(env: NodeJS.ProcessEnv): SampleConfig {
  const id = env['GENAUTH_ACCESS_KEY_ID'] || undefined;
  const secret = env['GENAUTH_ACCESS_KEY_SECRET'] || undefined;
  if (!!id !== !!secret) {
    throw new SampleConfigError(
      id ? 'GENAUTH_ACCESS_KEY_SECRET' : 'GENAUTH_ACCESS_KEY_ID',
      'is missing: set both GENAUTH_ACCESS_KEY_ID and GENAUTH_ACCESS_KEY_SECRET, or neither to use the emulator',
    );
  }
  const host = env['GENAUTH_HOST'] || undefined;
  if (host !== undefined && !/^https?:\/\/[^\s/]+(\/.*)?$/.test(host)) {
    throw new SampleConfigError('GENAUTH_HOST', `must be an http(s) URL (got ${host})`);
  }
  if (host && !id) throw new SampleConfigError('GENAUTH_HOST', 'is set without GENAUTH_ACCESS_KEY_ID');
  const appHost = env['GENAUTH_APP_HOST'] || undefined;
  if (appHost !== undefined && !/^https?:\/\/[^\s/]+\/?$/.test(appHost)) {
    throw new SampleConfigError('GENAUTH_APP_HOST', `must be an http(s) origin (got ${appHost})`);
  }
  const portText = env['PORT'] ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535)
    throw new SampleConfigError('PORT', `must be 0..65535 (got ${portText})`);
  const jwtSecret = env['JWT_SECRET'] || randomBytes(32).toString('hex');
  if (jwtSecret.length < 16) throw new SampleConfigError('JWT_SECRET', 'must be at least 16 characters');
  // On the emulator a random secret: the embedded emulator is told it and sends its webhooks to the sample.
  const webhookSecret = env['GENAUTH_WEBHOOK_SECRET'] || (id ? undefined : randomBytes(24).toString('hex'));
  if (webhookSecret !== undefined && webhookSecret.length < 16) {
    throw new SampleConfigError('GENAUTH_WEBHOOK_SECRET', 'must be at least 16 characters');
  }
  const demoTokens = env['ALLOW_DEMO_TOKENS'];
  if (demoTokens !== undefined && demoTokens !== 'true' && demoTokens !== 'false') {
    throw new SampleConfigError('ALLOW_DEMO_TOKENS', `must be true or false (got ${demoTokens})`);
  }
  return {
    mode: id ? 'genauth' : 'emulator',
    accessKeyId: id,
    accessKeySecret: secret,
    host,
    appHost: appHost?.replace(/\/$/, ''),
    appId: env['GENAUTH_APP_ID'] || 'demo-app',
    appSecret: env['GENAUTH_APP_SECRET'] || undefined,
    port,
    jwtSecret,
    demoTokens: id ? demoTokens === 'true' : true,
    webhookSecret,
  };
}
