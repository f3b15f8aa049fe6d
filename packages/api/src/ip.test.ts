import { describe, expect, it } from 'vitest';
import { ipFamily, ipOrCidrProblem } from './ip';

describe('ipFamily', () => {
  it.each([
    ['10.0.0.1', 4],
    ['255.255.255.255', 4],
    ['0.0.0.0', 4],
    ['2001:db8::1', 6],
    ['2001:DB8::1', 6],
    ['::', 6],
    ['::1', 6],
    ['::ffff:10.0.0.1', 6],
    ['1:2:3:4:5:6:7:8', 6],
    ['1:2:3:4:5:6:1.2.3.4', 6],
    ['fe80::1:2', 6],
  ])('accepts %s as IPv%s', (text, family) => {
    expect(ipFamily(text)).toBe(family);
  });

  it.each(['', '10.0.0', '10.0.0.256', '01.0.0.1', '10.0.0.1/8', '1:2:3:4:5:6:7:8:9', '1::2::3', '2001:db8::g', 'fe80::1%eth0', ':1', 'localhost', '1:2:3:4:5:6:7:1.2.3.4'])(
    'rejects %j',
    (text) => {
      expect(ipFamily(text)).toBe(0);
    },
  );
});

describe('ipOrCidrProblem', () => {
  it.each(['10.0.0.0/8', '2001:db8::/32', '10.1.2.3', '::/0'])('accepts %s', (text) => {
    expect(ipOrCidrProblem(text)).toBeUndefined();
  });

  it.each([
    ['10.0.0.0/33', 'prefix length must be 0 to 32'],
    ['2001:db8::/129', '0 to 128'],
    ['10.0.0.300', 'not an IPv4 or IPv6'],
    ['10.0.0.0/8/9', 'one "/"'],
    ['', 'enter an IPv4'],
  ])('explains %s', (text, fragment) => {
    expect(ipOrCidrProblem(text)).toContain(fragment);
  });
});
