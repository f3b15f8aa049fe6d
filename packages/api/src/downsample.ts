import type { MetricType } from './common';

/**
 * Server-side downsampling: when a range holds more buckets than a chart can show, consecutive
 * buckets are condensed into groups of `factor` buckets. Groups are aligned to multiples of
 * `factor × step` seconds since the epoch, so panning or refreshing a chart keeps the same
 * group edges, and the first and last group may cover fewer buckets.
 *
 * How a group's value is formed depends on the metric type and is stated in the response
 * (`downsampling.aggregation`), see {@link aggregationOf}.
 */
export type Aggregation = 'sum' | 'mean' | 'last' | 'distinct' | 'merge';

/**
 * How the buckets of a metric type combine:
 * - `sum`      count: the total over the group;
 * - `mean`     series: the mean of every raw value in the group;
 * - `last`     gauge: the last non-empty bucket's value;
 * - `distinct` set, hll: distinct members over the whole group (the union, not a sum of buckets);
 * - `merge`    histogram: counts per value added up.
 */
export function aggregationOf(type: MetricType): Aggregation {
  switch (type) {
    case 'count':
      return 'sum';
    case 'series':
      return 'mean';
    case 'gauge':
      return 'last';
    case 'set':
    case 'hll':
      return 'distinct';
    case 'histogram':
      return 'merge';
  }
}

export interface DownsamplePlan {
  /** Buckets per returned point (1: no downsampling). */
  factor: number;
  /** Seconds per returned point. */
  step: number;
}

/** Number of buckets of width `step` that [from, to) touches. */
export function bucketCount(from: number, to: number, step: number): number {
  if (to <= from) return 0;
  return Math.floor((to - 1) / step) - Math.floor(from / step) + 1;
}

/** The smallest factor whose aligned groups over [from, to) number at most `maxPoints`. */
export function planDownsampling(from: number, to: number, step: number, maxPoints: number): DownsamplePlan {
  if (!(maxPoints >= 1)) throw new RangeError(`maxPoints must be at least 1, got ${maxPoints}`);
  const buckets = bucketCount(from, to, step);
  if (buckets <= maxPoints) return { factor: 1, step };
  let factor = Math.ceil(buckets / maxPoints);
  while (bucketCount(from, to, factor * step) > maxPoints) factor++;
  return { factor, step: factor * step };
}
