import { describe, expect, it } from 'vitest';
import { checkRange, resolveRange } from './range';
import { InvalidQueryError } from './errors';
import type { ResolvedInterval } from './options';

const days: ResolvedInterval = { name: 'days', step: 60, steps: 2880, resolution: 60, chunk: 60 };
const fine: ResolvedInterval = { name: 'fine', step: 3600, steps: 24, resolution: 300, chunk: 12 };

describe('resolveRange', () => {
  it('covers the buckets holding from and to, both included', () => {
    expect(resolveRange(days, { from: 59, to: 120 }, null)).toEqual({ first: 0, last: 2 });
  });

  it('takes the last N steps ending with the step of the newest data', () => {
    expect(resolveRange(days, { last: 3 }, 6_030)).toEqual({ first: 98, last: 100 });
    expect(resolveRange(fine, { last: 2 }, 7_300)).toEqual({ first: 12, last: 35 }); // hours 1 and 2 in 5-minute buckets
    expect(resolveRange(days, { last: 1, to: 125 }, 6_030)).toEqual({ first: 2, last: 2 });
  });

  it('defaults to the retained window, and to nothing on an empty store', () => {
    expect(resolveRange(days, {}, 2880 * 60 * 3)).toEqual({ first: 2880 * 2 + 1, last: 2880 * 3 });
    expect(resolveRange(days, {}, null)).toBeNull();
    expect(resolveRange(days, { last: 5 }, null)).toBeNull();
  });

  it.each([
    [{ from: 10, to: 5 }, /after to/],
    [{ from: Number.NaN }, /finite/],
    [{ last: 0 }, /at least 1/],
    [{ last: 2.5 }, /whole number/],
    [{ last: 2, from: 0 }, /cannot be combined with from/],
  ])('refuses %o', (q, reason) => {
    expect(() => checkRange(q)).toThrow(InvalidQueryError);
    expect(() => checkRange(q)).toThrow(reason);
  });
});
