import { describe, expect, it } from 'vitest';
import { ipPath, matchRoute } from './routes';

describe('matchRoute', () => {
  it.each([
    ['/', { name: 'overview' }],
    ['/ip/10.0.0.1', { name: 'ip', ip: '10.0.0.1', valid: true }],
    ['/ip/2001:db8::1', { name: 'ip', ip: '2001:db8::1', valid: true }],
    ['/ip/2001%3Adb8%3A%3A1', { name: 'ip', ip: '2001:db8::1', valid: true }],
    ['/ip/10.0.0.999', { name: 'ip', ip: '10.0.0.999', valid: false }],
    ['/ip/%E0%A4%A', { name: 'ip', ip: '%E0%A4%A', valid: false }],
    ['/ip/', { name: 'ip', ip: '', valid: false }],
    ['/nowhere', { name: 'notFound', path: '/nowhere' }],
  ])('matches %s', (path, route) => {
    expect(matchRoute(path)).toEqual(route);
  });
});

describe('ipPath', () => {
  it('writes addresses as they are', () => {
    expect(ipPath('fe80::1')).toBe('/ip/fe80::1');
  });
  it('encodes anything that is not an address', () => {
    expect(ipPath('a/b?c')).toBe('/ip/a%2Fb%3Fc');
  });
});
