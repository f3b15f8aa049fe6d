import { describe, expect, it } from 'vitest';
import { ipSortKey, sortEntities } from './sortEntities';

const rows = [
  { ip: '10.0.0.10', value: 5 },
  { ip: '2001:db8::1', value: 9 },
  { ip: '10.0.0.9', value: 5 },
  { ip: '::ffff:1.2.3.4', value: 1 },
];

describe('sortEntities', () => {
  it.each([
    ['-value', ['2001:db8::1', '10.0.0.9', '10.0.0.10', '::ffff:1.2.3.4']],
    ['value', ['::ffff:1.2.3.4', '10.0.0.9', '10.0.0.10', '2001:db8::1']],
    ['ip', ['10.0.0.9', '10.0.0.10', '::ffff:1.2.3.4', '2001:db8::1']],
    ['-ip', ['2001:db8::1', '::ffff:1.2.3.4', '10.0.0.10', '10.0.0.9']],
  ] as const)('orders by %s', (sort, order) => {
    expect(sortEntities(rows, sort).map((r) => r.ip)).toEqual(order);
  });

  it('does not mutate its input', () => {
    const copy = structuredClone(rows);
    sortEntities(rows, 'ip');
    expect(rows).toEqual(copy);
  });
});

describe('ipSortKey', () => {
  it('expands :: compression', () => {
    expect(ipSortKey('::1')).toBe((1n << 128n) + 1n);
    expect(ipSortKey('1::')).toBe((1n << 128n) + (1n << 112n));
  });
});
