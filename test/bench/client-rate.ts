/**
 * Measurement 6: getUserMfaInfo calls per CPU-second, our client against the official SDK's, alternated, in
 * a process of its own (the emulator runs in another). Prints one JSON line.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ManagementClient } from 'authing-node-sdk';
import { MfaManagementService, MfaModule } from 'nestjs-genauth-mfa';
import { startServer } from './bench-process.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 2);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function clientRate() {
  const server = await startServer('none');
  const { emulatorUrl, accessKeyId, accessKeySecret } = server.ready;
  const context = await NestFactory.createApplicationContext(
    MfaModule.forRoot({ host: emulatorUrl, accessKeyId, accessKeySecret }),
    { logger: false },
  );
  const ours = context.get(MfaManagementService);
  const sdk = new ManagementClient({ accessKeyId, accessKeySecret, host: emulatorUrl });
  // Calls per second, and this process's CPU time per call (the emulator runs in another process).
  const rate = async (call: () => Promise<unknown>) => {
    const until = Date.now() + SECONDS * 1000;
    const cpuBefore = process.cpuUsage();
    let done = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (Date.now() < until) {
          await call();
          done += 1;
        }
      }),
    );
    const cpu = process.cpuUsage(cpuBefore);
    return { perSecond: done / SECONDS, cpuMicrosPerCall: (cpu.user + cpu.system) / done };
  };
  try {
    const oursRates: Array<{ perSecond: number; cpuMicrosPerCall: number }> = [];
    const sdkRates: Array<{ perSecond: number; cpuMicrosPerCall: number }> = [];
    await rate(() => ours.getUserMfaInfo({ userId: 'bench-user' }));
    await rate(() => sdk.getUserMfaInfo({ userId: 'bench-user' }));
    const runOurs = async () => oursRates.push(await rate(() => ours.getUserMfaInfo({ userId: 'bench-user' })));
    const runSdk = async () =>
      sdkRates.push(
        await rate(async () => {
          const answer = await sdk.getUserMfaInfo({ userId: 'bench-user' });
          if (answer.statusCode !== 200) throw new Error(`SDK call failed: ${answer.statusCode}`);
        }),
      );
    // Alternated, the order swapped every round, so that neither always runs first.
    for (let round = 0; round < Math.max(2, ROUNDS - 1); round++) {
      if (round % 2 === 0) {
        await runOurs();
        await runSdk();
      } else {
        await runSdk();
        await runOurs();
      }
    }
    const oursCpu = median(oursRates.map((r) => r.cpuMicrosPerCall));
    const sdkCpu = median(sdkRates.map((r) => r.cpuMicrosPerCall));
    // Calls per CPU-second decide the target; calls per wall-second are shown beside them.
    const ratio = sdkCpu / oursCpu;
    return {
      oursPerSecond: mean(oursRates.map((r) => r.perSecond)),
      sdkPerSecond: mean(sdkRates.map((r) => r.perSecond)),
      oursCpuMicrosPerCall: oursCpu,
      sdkCpuMicrosPerCall: sdkCpu,
      wallRatio: mean(oursRates.map((r) => r.perSecond)) / mean(sdkRates.map((r) => r.perSecond)),
      ratio,
      target: 1.5,
      met: ratio >= 1.5,
    };
  } finally {
    await context.close();
    await server.stop();
  }
}

console.log(JSON.stringify(await clientRate()));
