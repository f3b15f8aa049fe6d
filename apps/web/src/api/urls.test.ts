import { describe, expect, it } from 'vitest';
import { apiUrl, ipApiPath } from './urls';

describe('apiUrl', () => {
  it('joins lists with commas and drops undefined values', () => {
    expect(apiUrl('/api/x', { metrics: ['a.b', 'c'], from: 10, cidr: undefined, to: 20 })).toBe('/api/x?metrics=a.b,c&from=10&to=20');
  });

  it('encodes values', () => {
    expect(apiUrl('/api/x', { cidr: '10.0.0.0/8' })).toBe('/api/x?cidr=10.0.0.0%2F8');
  });

  it('leaves the path alone without parameters', () => {
    expect(apiUrl('/api/metrics')).toBe('/api/metrics');
  });
});

describe('ipApiPath', () => {
  it('encodes the address', () => {
    expect(ipApiPath('2001:db8::1', 'series')).toBe('/api/ips/2001%3Adb8%3A%3A1/series');
  });
});
