import { describe, expect, it } from 'vitest';
import { ManagementTokenProvider } from '../../lib/src/client/management-token.provider.js';

describe('ManagementTokenProvider', () => {
  function provider(expiresInSeconds = 7200) {
    let now = 1_000_000;
    let fetches = 0;
    const tokens = new ManagementTokenProvider(
      async () => {
        fetches += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { token: `t${fetches}`, expiresInSeconds };
      },
      () => now,
    );
    return { tokens, advance: (ms: number) => (now += ms), fetches: () => fetches };
  }

  it('shares one fetch among concurrent callers', async () => {
    const { tokens, fetches } = provider();
    const got = await Promise.all(Array.from({ length: 100 }, () => tokens.get()));
    expect(new Set(got)).toEqual(new Set(['t1']));
    expect(fetches()).toBe(1);
  });

  it('refreshes before expiry: a tenth of the lifetime early, at most a minute', async () => {
    const { tokens, advance, fetches } = provider(7200);
    await tokens.get();
    advance(7200_000 - 60_001);
    expect(await tokens.get()).toBe('t1');
    advance(2);
    expect(await tokens.get()).toBe('t2');
    expect(fetches()).toBe(2);
  });

  it('fetches again after a rejection of the current token only', async () => {
    const { tokens, fetches } = provider();
    await tokens.get();
    tokens.reject('some-older-token');
    expect(await tokens.get()).toBe('t1');
    tokens.reject('t1');
    expect(await tokens.get()).toBe('t2');
    expect(fetches()).toBe(2);
  });

  it('lets the next call try again after a failed fetch', async () => {
    let attempt = 0;
    const tokens = new ManagementTokenProvider(() => {
      attempt += 1;
      if (attempt === 1) return Promise.reject(new Error('down'));
      return Promise.resolve({ token: 'ok', expiresInSeconds: 60 });
    });
    await expect(tokens.get()).rejects.toThrow('down');
    await expect(tokens.get()).resolves.toBe('ok');
  });
});
