import { describe, expect, it } from 'vitest';
import { outsideFromDump, outsideTotal } from './topEdgeDump';

describe('outsideTotal', () => {
  const count = { kind: 'c', base: 120, size: 60 };
  it('sums the buckets of the metric outside the cut, ignoring other metrics of the hash', () => {
    // offsets 0, 10, 59 of this metric; fields 119 and 180 belong to other metrics
    const entries = [120, 5, 130, '7', 179, 11, 119, 1000, 180, 1000];
    expect(outsideTotal(entries, count, { chunk: 3, o0: 5, o1: 20 })).toBe(5 + 11);
    expect(outsideTotal(entries, count, { chunk: 3, o0: 0, o1: 59 })).toBe(0);
    expect(outsideTotal(entries, count, { chunk: 3, o0: 11, o1: 58 })).toBe(5 + 7 + 11);
  });
  it('counts the samples of series buckets', () => {
    const entries = ['0', '1.5,2,3', '1', 4, '2', '7'];
    expect(outsideTotal(entries, { kind: 's', base: 0, size: 60 }, { chunk: 0, o0: 2, o1: 59 })).toBe(3 + 1);
  });
  it('reads nothing outside a missing hash, and gives up on a payload that is not a listpack hash', () => {
    expect(outsideFromDump(Buffer.alloc(0), count, { chunk: 0, o0: 1, o1: 2 })).toBe(0);
    expect(outsideFromDump(Buffer.from([4, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), count, { chunk: 0, o0: 1, o1: 2 })).toBeNull();
  });
});
