import { Controller, Get } from '@nestjs/common';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import {
  MfaEnforceFrom,
  MfaOptionsError,
  MfaPolicyError,
  RedisMfaBindingCache,
  safeReturnTo,
  type MfaModuleOptions,
} from 'nestjs-genauth-mfa';
import { MFA_METADATA } from '../../lib/src/contracts/tokens.js';
import { validateMfaOptions } from '../../lib/src/options/mfa-options.validation.js';
import { prefersPage } from '../../lib/src/transports/accept.js';
import { enrollmentRedirect } from '../../lib/src/transports/enrollment-redirect.js';

const BASE: MfaModuleOptions = { accessKeyId: 'ak', accessKeySecret: 'sk' };
const page = (url: string, accept = 'text/html') => ({ method: 'GET', url, headers: { accept } });

describe('redirects to enrollment', () => {
  it.each(['/..//evil.com', '/.//evil.com', '/%2e%2e//evil.com', '/a/../..//evil.com/x?y=1', '/%2E%2E//evil.com'])(
    'never sends %s off-site: the returnTo that would be sent is checked, and refused',
    (target) => {
      expect(enrollmentRedirect(page(target), '/account/mfa')).toBeUndefined();
    },
  );

  it('sends a normalised same-origin path', () => {
    expect(enrollmentRedirect(page('/a/./b/../reports?x=1'), '/account/mfa')).toBe(
      '/account/mfa?returnTo=%2Fa%2Freports%3Fx%3D1%26mfa_return%3D1',
    );
  });

  it('never answers with a target that is not a same-origin path or an http(s) URL (enrollmentUrl functions)', () => {
    for (const target of ['javascript:alert(1)', 'data:text/html,x', '//evil.com/enroll', 'ftp://x/y']) {
      expect(enrollmentRedirect(page('/reports'), target)).toBeUndefined();
    }
    expect(enrollmentRedirect(page('/reports'), 'https://id.example.com/mfa')).toBe(
      'https://id.example.com/mfa?returnTo=%2Freports%3Fmfa_return%3D1',
    );
  });

  it('checks the fallback of safeReturnTo too', () => {
    expect(safeReturnTo('//evil.com', '//evil.com')).toBe('/');
    expect(safeReturnTo('https://evil.com', 'javascript:alert(1)')).toBe('/');
    expect(safeReturnTo('//evil.com', '/home')).toBe('/home');
  });
});

describe('the Accept header', () => {
  it.each([
    ['text/html', true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', true],
    ['application/xhtml+xml', true],
    ['TEXT/HTML; charset=utf-8', true],
    ['text/html;q=0', false],
    ['text/html; q=0.000', false],
    ['application/json, text/html;q=0.1', false],
    ['text/html;q=0.5, application/json;q=0.9', false],
    ['text/htmlx', false],
    ['*/*', false],
    ['text/*', false],
    ['application/json', false],
    ['text/html;q=abc', false],
    ['text/html;q=1.5', false],
    ['', false],
  ])('%j prefers a page: %s', (accept, expected) => {
    expect(prefersPage(accept)).toBe(expected);
    expect(enrollmentRedirect(page('/reports', accept), '/account/mfa') !== undefined).toBe(expected);
  });
});

describe('dates', () => {
  it.each([
    '2027-02-30T00:00:00Z',
    '2027-02-29',
    '2027-13-01',
    '2027-00-10',
    '2027-01-15T24:00:00Z',
    '2027-01-15T23:60:00Z',
    '2027-01-15T23:00:60Z',
    '2027-01-15T09:00:00+25:00',
    '2027-01-15T09:00:00+08:60',
    '2027-01-15T09:00:00',
    '15/01/2027',
  ])('refuses %s at start-up, in the option and in the decorator', (date) => {
    expect(() => validateMfaOptions({ ...BASE, enforceFrom: date })).toThrow(MfaOptionsError);
    expect(() => validateMfaOptions({ ...BASE, enforceFrom: date })).toThrow(/enforceFrom/);
    expect(() => MfaEnforceFrom(date)).toThrow(MfaPolicyError);
  });

  it('reads a calendar date as midnight UTC, a leap day included, and a zone as given', () => {
    expect(validateMfaOptions({ ...BASE, enforceFrom: '2027-02-01' }).guard.enforceFrom).toBe(Date.UTC(2027, 1, 1));
    expect(validateMfaOptions({ ...BASE, enforceFrom: '2028-02-29' }).guard.enforceFrom).toBe(Date.UTC(2028, 1, 29));
    expect(validateMfaOptions({ ...BASE, enforceFrom: '2027-01-15T09:00:00+08:00' }).guard.enforceFrom).toBe(
      Date.UTC(2027, 0, 15, 1),
    );
    @MfaEnforceFrom('2027-02-28T23:59:59.999Z')
    @Controller()
    class Fine {
      @Get() get() {}
    }
    expect(Reflect.getMetadata(MFA_METADATA.enforceFrom, Fine)).toBe(Date.UTC(2027, 1, 28, 23, 59, 59, 999));
  });
});

describe('option values that would start and then refuse everyone', () => {
  it.each<[string, Partial<MfaModuleOptions>]>([
    ['timeoutMs', { timeoutMs: 2 ** 31 }],
    ['timeoutMs', { timeoutMs: 1e12 }],
    ['timeoutMs', { timeoutMs: Number.NaN }],
    ['timeoutMs', { timeoutMs: 1_000_000_000 }],
    ['maxRetries', { maxRetries: 1e9 }],
    ['maxRetries', { maxRetries: 1.5 }],
    ['maxRetries', { maxRetries: -1 }],
    ['retryBaseDelayMs', { retryBaseDelayMs: Infinity }],
    ['retryMaxDelayMs', { retryMaxDelayMs: 2 ** 31 }],
    ['cache.ttlMs', { cache: { ttlMs: 1e15 } }],
    ['cache.negativeTtlMs', { cache: { negativeTtlMs: -5 } }],
    ['cache.maxEntries', { cache: { maxEntries: 1e9 } }],
    ['cache.maxEntries', { cache: { maxEntries: 10.5 } }],
    ['circuitBreaker.failureThreshold', { circuitBreaker: { failureThreshold: 1e9 } }],
    ['circuitBreaker.resetTimeoutMs', { circuitBreaker: { resetTimeoutMs: 2 ** 40 } }],
    ['unavailableRetryAfterSeconds', { unavailableRetryAfterSeconds: 2.5 }],
    ['unavailableRetryAfterSeconds', { unavailableRetryAfterSeconds: 3601 }],
    ['maxConcurrentLookups', { maxConcurrentLookups: 0 }],
    ['maxConcurrentLookups', { maxConcurrentLookups: 1e7 }],
    ['enrollmentUrl', { enrollmentUrl: 'javascript:alert(1)' }],
    ['enrollmentUrl', { enrollmentUrl: 'http://' }],
    ['enrollmentUrl', { enrollmentUrl: '//evil.com/mfa' }],
    ['enrollmentUrl', { enrollmentUrl: '/\\evil.com' }],
    ['enrollmentUrl', { enrollmentUrl: 'account/mfa' }],
  ])('%s: %j is a start-up error naming it', (option, extra) => {
    const attempt = () => validateMfaOptions({ ...BASE, ...extra });
    expect(attempt).toThrow(MfaOptionsError);
    try {
      attempt();
    } catch (error) {
      expect((error as MfaOptionsError).option).toBe(option);
    }
  });

  it('accepts the largest values the platform keeps', () => {
    const settings = validateMfaOptions({ ...BASE, timeoutMs: 2 ** 31 - 1, maxRetries: 0 });
    expect(settings.lookup.lookupDeadlineMs).toBe(2 ** 31 - 1);
    expect(validateMfaOptions({ ...BASE, enrollmentUrl: 'https://id.example.com/mfa' }).guard.enrollmentUrl).toBe(
      'https://id.example.com/mfa',
    );
  });

  it.each<[string, Record<string, unknown>]>([
    ['RedisMfaBindingCache.timeoutMs', { timeoutMs: Number.NaN }],
    ['RedisMfaBindingCache.timeoutMs', { timeoutMs: -1 }],
    ['RedisMfaBindingCache.timeoutMs', { timeoutMs: 0 }],
    ['RedisMfaBindingCache.localTtlMs', { localTtlMs: Infinity }],
    ['RedisMfaBindingCache.localTtlMs', { localTtlMs: 0 }],
    ['RedisMfaBindingCache.invalidationWindowMs', { invalidationWindowMs: 2 ** 31 }],
    ['RedisMfaBindingCache.localMaxEntries', { localMaxEntries: 0 }],
    ['RedisMfaBindingCache.keyPrefix', { keyPrefix: '' }],
    ['RedisMfaBindingCache.keyPrefix', { keyPrefix: 'app\r\nFLUSHALL' }],
    ['RedisMfaBindingCache.keyPrefix', { keyPrefix: 'has space:' }],
  ])('the Redis store refuses %s %j when it is created', (option, extra) => {
    // A client that never connects: the options are checked before anything is sent.
    const client = new Redis({ lazyConnect: true });
    try {
      expect(() => new RedisMfaBindingCache({ client, ...extra })).toThrow(MfaOptionsError);
      try {
        new RedisMfaBindingCache({ client, ...extra });
      } catch (error) {
        expect((error as MfaOptionsError).option).toBe(option);
      }
    } finally {
      client.disconnect();
    }
  });
});
