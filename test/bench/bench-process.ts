/** The benchmark's server child process (bench-server.js), as run.ts and soak.ts drive it over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface Ready {
  appUrl?: string;
  emulatorUrl: string;
  accessKeyId: string;
  accessKeySecret: string;
}

export interface Server {
  ready: Ready;
  /** The child's process id. */
  pid: number;
  ask(message: object): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** Forks bench-server.js for `adapter` (extra flags after it) and waits until it says it is ready. */
export async function startServer(adapter: string, flags: string[] = [], execArgv: string[] = []): Promise<Server> {
  const child: ChildProcess = fork(join(here, 'bench-server.js'), ['--adapter', adapter, ...flags], {
    stdio: 'inherit',
    execArgv,
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench server (${adapter}) did not start`)), 30_000);
    child.once('message', (message: Ready) => {
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return {
    ready,
    pid: child.pid!,
    ask: (message) =>
      new Promise((resolve) => {
        child.once('message', resolve);
        child.send(message);
      }),
    stop: () =>
      new Promise((resolve) => {
        const kill = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.send({ type: 'stop' });
      }),
  };
}
