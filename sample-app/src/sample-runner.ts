import { ConsoleLogger, ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DEMO_SEED, GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { AppModule } from './app.module.js';
import { loadSampleConfig, type SampleConfig } from './config/sample.config.js';
import { GenAuthErrorFilter } from './genauth-error.filter.js';
import { setUpDocs } from './docs.js';

/** Warnings and errors, and of the info lines only the MFA guard's (report-only and grace-period records). */
class SampleLogger extends ConsoleLogger {
  override log(message: unknown, ...rest: unknown[]): void {
    if (rest[rest.length - 1] === 'MfaGuard') super.log(message, ...rest);
  }
}

/** A running sample: its URL, its mode, and how to stop it. */
export interface RunningSample {
  url: string;
  config: SampleConfig;
  app: INestApplication;
  emulator: GenAuthEmulator | undefined;
  stop(): Promise<void>;
}

/** Pipes and filters every instance of the sample uses (the tests use it too). */
export function configureApp(app: INestApplication): void {
  setUpDocs(app);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }));
  app.useGlobalFilters(new GenAuthErrorFilter());
}

/** Starts the sample: an embedded emulator unless GenAuth credentials are configured, then the app. */
export async function startSample(env: NodeJS.ProcessEnv = process.env): Promise<RunningSample> {
  const config = loadSampleConfig(env);
  const emulator = config.mode === 'emulator' ? new GenAuthEmulator({ seed: DEMO_SEED }) : undefined;
  await emulator?.start();
  try {
    // Nest's own logger would print a stack for a bad option; the caller prints one line instead.
    const app = await NestFactory.create(AppModule.register(config, emulator), { logger: false, abortOnError: false });
    app.useLogger(new SampleLogger({ logLevels: ['error', 'warn', 'log'] }));
    configureApp(app);
    await app.listen(config.port, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    if (config.webhookSecret) emulator?.addWebhook({ url: `${url}/genauth/webhook`, secret: config.webhookSecret });
    return {
      url,
      config,
      app,
      emulator,
      async stop() {
        await app.close();
        await emulator?.stop();
      },
    };
  } catch (error) {
    await emulator?.stop();
    throw error;
  }
}
