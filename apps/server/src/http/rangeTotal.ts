import type { ResolvedInterval, Store, Transform } from '@ipscope/timeseries';
import type { ServedMetric } from './catalogLookup';
import { coarserInterval, splitRange } from './coarseInterval';
import type { TimeRange } from './timeRange';

/**
 * How a metric's total over a range is read: counts summed; histogram, series and set
 * occurrences counted; hll the distinct estimate over the whole range; gauges their last value.
 */
export function totalTransform(metric: ServedMetric): Transform | undefined {
  if (metric.type === 'histogram' || metric.type === 'series' || metric.type === 'set') return 'count';
  return undefined;
}

/** Totals that add up over time: a range's total is the sum of its parts' totals. */
function additive(metric: ServedMetric): boolean {
  return metric.type === 'count' || metric.type === 'histogram' || metric.type === 'series';
}

/**
 * One IP's total of a metric over [from, to). For additive metrics over long ranges the whole
 * coarse buckets inside the range are read from the metric's coarser interval and only the
 * partial edges from the fine one — exact, and for 2 days of minutes 2–4 hashes instead of 48.
 * Distinct counts and gauges are read from the fine interval, where they are exact.
 */
export async function readRangeTotal(store: Store, metric: ServedMetric, interval: ResolvedInterval, range: TimeRange, entity: string): Promise<number> {
  const transform = totalTransform(metric);
  const collapse = async (on: ResolvedInterval, part: TimeRange) => {
    const r = await store.series({ metric: metric.name, entity, interval: on.name, from: part.from, to: part.to - 1, collapse: true, ...(transform ? { transform } : {}) });
    const value = r.points[0]?.value;
    return typeof value === 'number' ? value : 0;
  };
  const coarse = additive(metric) ? coarserInterval(metric, interval, Number.POSITIVE_INFINITY) : undefined;
  const split = coarse ? splitRange(range, coarse.resolution) : undefined;
  if (!coarse || !split) return collapse(interval, range);
  const parts = await Promise.all([
    collapse(coarse, { from: split.lo, to: split.hi }),
    split.head ? collapse(interval, split.head) : 0,
    split.tail ? collapse(interval, split.tail) : 0,
  ]);
  return parts.reduce((a, b) => a + b, 0);
}
