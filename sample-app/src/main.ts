import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { banner } from './banner.js';
import { startSample } from './sample-runner.js';

// `.env` in the working directory or in sample-app/, without overriding variables already set.
for (const file of ['.env', 'sample-app/.env']) {
  if (existsSync(file)) process.loadEnvFile(file);
}

try {
  const sample = await startSample();
  console.log(await banner(sample));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping.`);
    sample.stop().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`sample-app: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  console.error(`sample-app: ${String((error as Error).message).split('\n')[0]}`);
  process.exit(1);
}
