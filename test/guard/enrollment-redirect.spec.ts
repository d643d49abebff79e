import { describe, expect, it } from 'vitest';
import { MFA_RETURN_PARAM, safeReturnTo } from 'nestjs-genauth-mfa';

describe('safeReturnTo', () => {
  it('keeps paths on this origin', () => {
    expect(safeReturnTo('/reports')).toBe('/reports');
    expect(safeReturnTo(`/reports?tab=2&${MFA_RETURN_PARAM}=1#top`)).toBe(`/reports?tab=2&${MFA_RETURN_PARAM}=1#top`);
  });

  it.each([
    ['an absolute URL', 'https://evil.example/x'],
    ['a protocol-relative URL', '//evil.example/x'],
    ['a backslash that browsers read as a slash', '/\\evil.example/x'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a tab inside the path', '/\t/evil.example'],
    ['a line break', '/ok\r\nLocation: https://evil.example'],
    ['a relative path', 'reports'],
    ['not a string', { path: '/x' }],
    ['a very long path', `/${'a'.repeat(3000)}`],
  ])('refuses %s, answering the fallback', (_what, value) => {
    expect(safeReturnTo(value)).toBe('/');
    expect(safeReturnTo(value, '/home')).toBe('/home');
  });
});
