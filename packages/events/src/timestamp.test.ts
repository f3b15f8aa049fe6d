import { describe, expect, it } from 'vitest';
import { parseIsoTimestamp } from './timestamp';

describe('parseIsoTimestamp', () => {
  it.each([
    ['2023-11-14T22:13:20Z', 1700000000],
    ['2023-11-14T22:13:20.123456Z', 1700000000.123456],
    ['2023-11-14T23:13:20.5+0100', 1700000000.5],
    ['2023-11-14T23:13:20.5+01:00', 1700000000.5],
    ['2023-11-14T21:13:20-01', 1700000000],
    ['2023-11-14 22:13:20', 1700000000],
    ['2024-02-29T00:00:00Z', 1709164800],
  ])('reads %s', (text, expected) => {
    expect(parseIsoTimestamp(text)).toBeCloseTo(expected, 6);
  });

  it('keeps microseconds that Date.parse would drop', () => {
    const seconds = parseIsoTimestamp('2017-04-07T22:24:37.251547+0100');
    expect(seconds).toBeDefined();
    expect(Math.round(((seconds ?? 0) % 1) * 1e6)).toBe(251547);
  });

  it.each(['2023-02-29T00:00:00Z', '2023-13-01T00:00:00Z', '2023-11-14T24:00:00Z', '2023-11-14', '1700000000', 'yesterday', '2023-11-14T22:13:20+2500'])(
    'rejects %s',
    (text) => {
      expect(parseIsoTimestamp(text)).toBeUndefined();
    },
  );
});
