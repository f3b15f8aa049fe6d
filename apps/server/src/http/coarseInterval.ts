import type { ResolvedInterval } from '@ipscope/timeseries';
import type { ServedMetric } from './catalogLookup';
import type { TimeRange } from './timeRange';

/**
 * The coarsest other interval of the metric that can stand in for `interval` when summing over
 * a range: buckets wider than the fine ones but no wider than `maxBucketSeconds`, kept at least
 * as long. Undefined when there is none.
 */
export function coarserInterval(metric: ServedMetric, interval: ResolvedInterval, maxBucketSeconds: number): ResolvedInterval | undefined {
  let best: ResolvedInterval | undefined;
  for (const other of metric.intervals.values()) {
    if (other.resolution <= interval.resolution || other.resolution > maxBucketSeconds) continue;
    if (other.step * other.steps < interval.step * interval.steps) continue;
    if (!best || other.resolution > best.resolution) best = other;
  }
  return best;
}

/** A range split into the part whole coarse buckets cover and the fine edges around it. */
export interface RangeSplit {
  /** Whole coarse buckets [lo, hi). */
  lo: number;
  hi: number;
  /** Fine edges: [from, lo) and [hi, to), each possibly empty. */
  head: TimeRange | undefined;
  tail: TimeRange | undefined;
}

/** Splits [from, to) at the coarse bucket edges inside it; undefined when no whole coarse bucket fits. */
export function splitRange(range: TimeRange, coarseSeconds: number): RangeSplit | undefined {
  const lo = Math.ceil(range.from / coarseSeconds) * coarseSeconds;
  const hi = Math.floor(range.to / coarseSeconds) * coarseSeconds;
  if (hi - lo < coarseSeconds) return undefined;
  return {
    lo,
    hi,
    head: range.from < lo ? { from: range.from, to: lo } : undefined,
    tail: hi < range.to ? { from: hi, to: range.to } : undefined,
  };
}
