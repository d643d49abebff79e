#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEMO_SEED } from './demo-seed.js';
import { EmulatorSeedError } from '../errors/emulator-seed.error.js';
import type { EmulatorSeed } from './emulator-seed.js';
import { GenAuthEmulator } from './genauth-emulator.js';

const USAGE = `usage: genauth-emulator [--port N] [--demo | --seed FILE] [--access-key-id ID --access-key-secret SECRET]

  --port N               listen on 127.0.0.1:N (default 0: a free port)
  --demo                 the demo pool: alice (TOTP), bob (SMS, EMAIL), carol (FACE), dave (nothing)
  --seed FILE            users, applications and credentials from a JSON file (see the README)
  --access-key-id ID     the key pair to accept, instead of the seed's (or a generated one)
  --access-key-secret S`;

/** A command-line mistake: printed as one line, exit code 2. */
class UsageError extends Error {}

function readSeed(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read seed file ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`seed file ${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

function seedFrom(values: Record<string, string | boolean | undefined>): EmulatorSeed | undefined {
  if (values['demo'] && values['seed'] !== undefined) throw new UsageError('--demo and --seed exclude each other');
  const seed = values['demo'] ? DEMO_SEED : values['seed'] ? (readSeed(values['seed'] as string) as EmulatorSeed) : {};
  const id = values['access-key-id'];
  const secret = values['access-key-secret'];
  if ((id === undefined) !== (secret === undefined)) {
    throw new UsageError('--access-key-id and --access-key-secret go together');
  }
  if (typeof id === 'string' && typeof secret === 'string') {
    return { ...seed, credentials: [{ accessKeyId: id, accessKeySecret: secret }] };
  }
  return seed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      seed: { type: 'string' },
      demo: { type: 'boolean' },
      'access-key-id': { type: 'string' },
      'access-key-secret': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || port > 65535) {
    throw new UsageError(`--port must be 0..65535 (got ${values.port})`);
  }
  const seed = seedFrom(values);
  let emulator: GenAuthEmulator;
  try {
    // Codes it would send by SMS or e-mail are printed: a developer trying a step-up page reads them here.
    const onCodeSent = (sent: { by: string; to: string; code: string }) =>
      console.log(`code sent by ${sent.by} to ${sent.to}: ${sent.code}`);
    emulator = new GenAuthEmulator({ port, seed, onCodeSent });
  } catch (error) {
    if (error instanceof EmulatorSeedError && values.seed)
      throw new Error(`seed file ${values.seed}: ${error.message}`, { cause: error });
    throw error;
  }
  const url = await emulator.start();
  const [credentials] = emulator.credentials;
  const [appId] = emulator.applicationIds();
  // One write: a script that reads the block as it arrives never sees part of it (the key without the app).
  console.log(
    [
      `GenAuth emulator listening on ${url}`,
      '# Paste into your .env (or export them) to point MfaModule at the emulator:',
      `GENAUTH_HOST=${url}`,
      `GENAUTH_ACCESS_KEY_ID=${credentials!.accessKeyId}`,
      `GENAUTH_ACCESS_KEY_SECRET=${credentials!.accessKeySecret}`,
      ...(appId === undefined ? [] : [`GENAUTH_APP_ID=${appId}`]),
    ].join('\n'),
  );
  const stop = () => void emulator.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(`genauth-emulator: ${error.message}`);
  const usage = error instanceof UsageError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
  if (usage) console.error(USAGE);
  process.exit(usage ? 2 : 1);
});
