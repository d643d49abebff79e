import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GenAuthEmulator } from 'nestjs-genauth-mfa/testing';
import { createService } from '../support/emulator-app.js';

describe('the emulator: list-users, latency, random faults and concurrency', () => {
  let emulator: GenAuthEmulator;

  beforeEach(async () => {
    emulator = new GenAuthEmulator();
    await emulator.start();
    for (let i = 0; i < 7; i++) emulator.addUser({ userId: `u${i}`, email: `u${i}@example.test` });
  });

  afterEach(() => emulator.stop());

  it('pages the pool oldest first with totalCount, and reports lastMfaTime', async () => {
    const { moduleRef, service } = await createService(emulator);
    try {
      const page = await service.listUsers({ page: 2, limit: 3 });
      expect(page.totalCount).toBe(7);
      expect(page.list.map((user) => user.userId)).toEqual(['u3', 'u4', 'u5']);
      expect(page.list[0]).toEqual({
        userId: 'u3',
        username: null,
        email: 'u3@example.test',
        phone: null,
        lastMfaTime: null,
      });
      expect((await service.listUsers({ page: 3, limit: 3 })).list.map((user) => user.userId)).toEqual(['u6']);
      expect((await service.listUsers({ page: 9 })).list).toEqual([]);
      // A re-added user is a new account: it goes to the end.
      emulator.addUser({ userId: 'u0' });
      expect((await service.listUsers({ page: 3, limit: 3 })).list.map((user) => user.userId)).toEqual(['u0']);
    } finally {
      await moduleRef.close();
    }
  });

  it('delays answers by the latency set, and counts the most requests at once', async () => {
    const { moduleRef, service } = await createService(emulator);
    try {
      emulator.setLatency(40, 'get-user-mfa-info');
      emulator.resetCounts();
      const started = Date.now();
      await Promise.all(['u0', 'u1', 'u2'].map((userId) => service.getUserMfaInfo({ userId })));
      expect(Date.now() - started).toBeGreaterThanOrEqual(35);
      expect(emulator.concurrency()).toEqual({ current: 0, peak: 3 });
      expect(() => emulator.setLatency(-1)).toThrow(RangeError);
    } finally {
      await moduleRef.close();
    }
  });

  it('applies a fault to about its probability of requests', async () => {
    emulator.setFault('get-user-mfa-info', { httpStatus: 503, probability: 0.3 });
    const { moduleRef, service } = await createService(emulator, { maxRetries: 0 });
    try {
      let failed = 0;
      for (let i = 0; i < 400; i++) await service.getUserMfaInfo({ userId: 'u1' }).catch(() => (failed += 1));
      expect(failed).toBeGreaterThan(60);
      expect(failed).toBeLessThan(180);
      expect(() => emulator.setFault('*', { probability: 2 })).toThrow(/probability/);
    } finally {
      await moduleRef.close();
    }
  });
});
