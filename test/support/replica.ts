import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const SCRIPT = join(import.meta.dirname, 'replica-process.mjs');

/** One replica (test/support/replica-process.mjs) in a process of its own. */
export interface ReplicaProcess {
  url: string;
  change(userId: string, totp: boolean): Promise<void>;
  stop(): Promise<void>;
}

/** Starts a replica configured by `env`, and resolves when it listens. */
export function startReplica(env: Record<string, string>): Promise<ReplicaProcess> {
  const child: ChildProcess = fork(SCRIPT, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const next = (type: string) =>
    new Promise<{ url?: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`replica sent no ${type}:\n${errors}`)), 20_000);
      const listener = (message: { type: string; url?: string }) => {
        if (message.type !== type) return;
        clearTimeout(timer);
        child.off('message', listener);
        resolve(message);
      };
      child.on('message', listener);
    });
  return next('ready').then(({ url }) => ({
    url: url!,
    async change(userId, totp) {
      const done = next('changed');
      child.send({ type: 'change', userId, totp });
      await done;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      const force = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(force);
    },
  }));
}
