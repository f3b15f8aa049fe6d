import { describe, expect, it } from 'vitest';
import type { ResolvedInterval } from '@ipscope/timeseries';
import type { ServedMetric } from './catalogLookup';
import { coarserInterval, splitRange } from './coarseInterval';

const days: ResolvedInterval = { name: 'days', step: 60, steps: 2880, resolution: 60, chunk: 60 };
const months: ResolvedInterval = { name: 'months', step: 1800, steps: 4032, resolution: 1800, chunk: 48 };
const short: ResolvedInterval = { name: 'short', step: 300, steps: 10, resolution: 300, chunk: 12 };
const metric = (intervals: ResolvedInterval[]): ServedMetric => ({
  name: 'm',
  type: 'count',
  key: 'resp',
  unit: 'x',
  description: '',
  intervals: new Map(intervals.map((i) => [i.name, i])),
  ranked: true,
  buckets: undefined,
});

describe('coarserInterval', () => {
  it('picks the coarsest interval within the bucket limit that is kept as long', () => {
    expect(coarserInterval(metric([days, months]), days, 3600)?.name).toBe('months');
    expect(coarserInterval(metric([days, months]), days, 1799)).toBeUndefined();
    expect(coarserInterval(metric([days, months]), months, Infinity)).toBeUndefined();
    expect(coarserInterval(metric([days, short]), days, Infinity)).toBeUndefined();
  });
});

describe('splitRange', () => {
  it('splits at the coarse edges inside the range', () => {
    expect(splitRange({ from: 1000, to: 8000 }, 1800)).toEqual({ lo: 1800, hi: 7200, head: { from: 1000, to: 1800 }, tail: { from: 7200, to: 8000 } });
    expect(splitRange({ from: 1800, to: 5400 }, 1800)).toEqual({ lo: 1800, hi: 5400, head: undefined, tail: undefined });
  });

  it('gives up when no whole coarse bucket fits', () => {
    expect(splitRange({ from: 1000, to: 3000 }, 1800)).toBeUndefined();
  });
});
