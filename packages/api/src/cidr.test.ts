import { describe, expect, it } from 'vitest';
import { CidrSyntaxError, cidrContains, formatCidr, formatIpBytes, ipBytes, parseCidr } from './cidr';

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['192.168.1.77/30', '192.168.1.76/30'],
    ['10.1.2.3', '10.1.2.3/32'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['2001:db8:ffff::1/33', '2001:db8:8000::/33'],
    ['::/0', '::/0'],
    ['::1', '::1/128'],
    ['fe80::1:0:0:1/64', 'fe80::/64'],
    ['::ffff:10.0.0.0/104', '10.0.0.0/8'],
    ['::ffff:0:0/96', '0.0.0.0/0'],
    ['1:0:0:2:0:0:0:3/128', '1:0:0:2::3/128'],
  ])('reads %s as %s', (text, canonical) => {
    expect(formatCidr(parseCidr(text))).toBe(canonical);
  });

  it.each([
    ['10.0.0.0/33', 'prefix length must be 0 to 32'],
    ['2001:db8::/129', 'prefix length must be 0 to 128'],
    ['10.0.0.0/-1', 'prefix length'],
    ['10.0.0.0/', 'prefix length'],
    ['10.0.0/8', 'is not an IPv4 or IPv6 address'],
    ['10.0.0.0/8/8', 'one "/"'],
    ['example.com/8', 'is not an IPv4 or IPv6 address'],
  ])('rejects %s: %s', (text, fragment) => {
    expect(() => parseCidr(text)).toThrow(CidrSyntaxError);
    expect(() => parseCidr(text)).toThrow(fragment);
  });
});

describe('cidrContains', () => {
  it.each([
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.0.0.0/8', '9.255.255.255', false],
    ['192.168.1.76/30', '192.168.1.79', true],
    ['192.168.1.76/30', '192.168.1.80', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['0.0.0.0/0', '2001:db8::1', false],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['2001:db8::/33', '2001:db8:7fff::1', true],
    ['2001:db8::/33', '2001:db8:8000::1', false],
    ['::/0', '::1', true],
    ['::/0', '10.0.0.1', false],
    ['10.0.0.0/8', '::ffff:10.1.2.3', true],
    ['::ffff:10.0.0.0/104', '10.1.2.3', true],
    ['10.0.0.1', '10.0.0.1', true],
    ['10.0.0.1', '10.0.0.2', false],
    ['10.0.0.0/8', 'not-an-ip', false],
  ])('%s contains %s: %s', (block, ip, inside) => {
    expect(cidrContains(parseCidr(block), ip)).toBe(inside);
  });
});

describe('ipBytes and formatIpBytes', () => {
  it.each(['10.0.0.1', '::', '::1', '2001:db8::1', '1:2:3:4:5:6:7:8', 'fe80::', '2001:db8:0:1::1'])('round-trips %s', (ip) => {
    expect(formatIpBytes(ipBytes(ip)!)).toBe(ip);
  });

  it('compresses the longest run of zero groups, the first when tied (RFC 5952)', () => {
    expect(formatIpBytes(ipBytes('1:0:0:2:0:0:3:4')!)).toBe('1::2:0:0:3:4');
    expect(formatIpBytes(ipBytes('1:0:2:3:4:5:6:7')!)).toBe('1:0:2:3:4:5:6:7');
  });

  it('reads an embedded IPv4 tail', () => {
    expect(Array.from(ipBytes('::ffff:1.2.3.4')!.slice(12))).toEqual([1, 2, 3, 4]);
  });
});
