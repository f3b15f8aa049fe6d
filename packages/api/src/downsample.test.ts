import { describe, expect, it } from 'vitest';
import { aggregationOf, bucketCount, planDownsampling } from './downsample';

describe('bucketCount', () => {
  it.each([
    [0, 60, 60, 1],
    [0, 61, 60, 2],
    [30, 90, 60, 2],
    [0, 172_800, 60, 2880],
    [100, 100, 60, 0],
  ])('[%i, %i) at step %i touches %i buckets', (from, to, step, n) => {
    expect(bucketCount(from, to, step)).toBe(n);
  });
});

describe('planDownsampling', () => {
  it('keeps every bucket when they fit', () => {
    expect(planDownsampling(0, 172_800, 60, 2880)).toEqual({ factor: 1, step: 60 });
  });

  it('picks the smallest factor whose aligned groups fit', () => {
    expect(planDownsampling(0, 172_800, 60, 1500)).toEqual({ factor: 2, step: 120 });
    expect(planDownsampling(0, 172_800, 60, 1000)).toEqual({ factor: 3, step: 180 });
  });

  it('accounts for partial groups at unaligned edges', () => {
    // 10 buckets starting at minute 1; factor 5 would need groups [0,5),[5,10),[10,15): 3 points.
    const plan = planDownsampling(60, 660, 60, 2);
    expect(bucketCount(60, 660, plan.step)).toBeLessThanOrEqual(2);
    expect(plan.factor).toBe(6);
  });

  it('rejects maxPoints below 1', () => {
    expect(() => planDownsampling(0, 600, 60, 0)).toThrow(RangeError);
  });
});

describe('aggregationOf', () => {
  it.each([
    ['count', 'sum'],
    ['series', 'mean'],
    ['gauge', 'last'],
    ['set', 'distinct'],
    ['hll', 'distinct'],
    ['histogram', 'merge'],
  ] as const)('%s buckets combine by %s', (type, aggregation) => {
    expect(aggregationOf(type)).toBe(aggregation);
  });
});
