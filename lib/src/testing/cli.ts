#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GenAuthEmulator } from './genauth-emulator.js';

const USAGE = 'usage: genauth-emulator [--port N] [--seed FILE]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0..65535 (got ${values.port})`);
  const seed = values.seed ? (JSON.parse(readFileSync(values.seed, 'utf8')) as unknown) : undefined;
  const emulator = new GenAuthEmulator({ port, seed: seed as never });
  const url = await emulator.start();
  console.log(`GenAuth emulator listening on ${url}`);
  for (const { accessKeyId, accessKeySecret } of emulator.credentials) {
    console.log(`accessKeyId=${accessKeyId} accessKeySecret=${accessKeySecret}`);
  }
  const stop = () => void emulator.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(`genauth-emulator: ${error.message}`);
  process.exit(1);
});
