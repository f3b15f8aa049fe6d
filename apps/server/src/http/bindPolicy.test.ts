import { describe, expect, it } from 'vitest';
import { InsecureBindError, checkBindPolicy, isLoopbackHost } from './bindPolicy';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', '128.0.0.1', '::2', '1::1', 'example.com', '::ffff:10.0.0.1', ''])('%j is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('checkBindPolicy', () => {
  it('allows loopback without a token and any address with one', () => {
    expect(() => checkBindPolicy('127.0.0.1', undefined)).not.toThrow();
    expect(() => checkBindPolicy('0.0.0.0', 'a-long-enough-token')).not.toThrow();
  });

  it('refuses other addresses without a token, saying how to fix it', () => {
    expect(() => checkBindPolicy('0.0.0.0', undefined)).toThrow(InsecureBindError);
    expect(() => checkBindPolicy('0.0.0.0', '')).toThrow(/set IPSCOPE_TOKEN .* or bind to 127\.0\.0\.1/);
  });
});
