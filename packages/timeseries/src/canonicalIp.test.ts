import { describe, expect, it } from 'vitest';
import { canonicalIp, ipFromKey, ipKey } from './canonicalIp';
import { InvalidIpError } from './errors';

describe('canonicalIp', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::FFFF:0a00:0001', '10.0.0.1'],
    ['0:0:0:0:0:ffff:192.168.1.2', '192.168.1.2'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['fe80::', 'fe80::'],
    ['::0.0.0.1', '::1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1:0:0:0:2:0:0:3', '1::2:0:0:3'],
  ])('turns %s into %s', (input, expected) => {
    expect(canonicalIp(input)).toBe(expected);
    expect(canonicalIp(expected)).toBe(expected);
  });

  it.each([
    ['', /empty/],
    ['10.0.0', /4 dot-separated/],
    ['10.0.0.256', /above 255/],
    ['10.0.0.01', /leading zero/],
    ['10.0.0.-1', /not a decimal/],
    [' 10.0.0.1', /whitespace/],
    ['fe80::1%eth0', /zone/],
    ['10.0.0.0/8', /CIDR/],
    ['1::2::3', /only once/],
    ['1:2:3:4:5:6:7', /8 groups/],
    ['1:2:3:4:5:6:7:8:9', /8 groups/],
    ['1:2:3:4::5:6:7:8', /at least one zero group/],
    ['12345::', /1 to 4 hex/],
    [':1:2:3:4:5:6:7', /stray colon/],
    ['::1.2.3', /embedded IPv4/],
    ['1.2.3.4::', /not 1 to 4 hex/],
    ['g::1', /not 1 to 4 hex/],
    ['[::1]', /hex/],
    ['host.example', /4 dot-separated/],
  ])('rejects %j saying why', (input, reason) => {
    let error: unknown;
    try {
      canonicalIp(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidIpError);
    expect((error as InvalidIpError).message).toMatch(reason);
    expect((error as InvalidIpError).retriable).toBe(false);
  });

  it('rejects a non-string', () => {
    expect(() => canonicalIp(42 as unknown as string)).toThrow(InvalidIpError);
  });
});

describe('ipKey', () => {
  it.each([
    ['10.0.0.1', '0a000001'],
    ['::ffff:10.0.0.1', '0a000001'],
    ['2001:db8::1', '20010db8000000000000000000000001'],
  ])('%s has key %s and back', (ip, key) => {
    expect(ipKey(ip)).toBe(key);
    expect(ipFromKey(key)).toBe(canonicalIp(ip));
  });

  it('sorts IPv4 keys numerically', () => {
    const ips = ['10.0.0.10', '10.0.0.2', '9.255.255.255', '192.168.0.1'];
    expect(ips.map(ipKey).sort().map(ipFromKey)).toEqual(['9.255.255.255', '10.0.0.2', '10.0.0.10', '192.168.0.1']);
  });

  it('rejects a malformed key', () => {
    expect(() => ipFromKey('0A000001')).toThrow(InvalidIpError);
    expect(() => ipFromKey('0a00001')).toThrow(/8 or 32/);
  });
});
