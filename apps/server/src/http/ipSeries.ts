import { aggregationOf, planDownsampling, type Aggregation, type MetricSeries, type SeriesResponseV1 } from '@ipscope/api';
import type { ResolvedInterval, SeriesResult, Store, Transform } from '@ipscope/timeseries';
import type { ServedMetric } from './catalogLookup';
import type { TimeRange } from './timeRange';

/**
 * How each type is read so that a bucket is one number (or, for histograms, value → count):
 * sets as their member count, raw series as the mean of their values; counts, gauges, hll
 * estimates and histograms as stored.
 */
export function chartTransform(metric: ServedMetric): Transform | undefined {
  if (metric.type === 'set') return 'count';
  if (metric.type === 'series') return 'mean';
  return undefined;
}

/** Converts the store's points of one metric to the API's form. */
export function toMetricSeries(metric: ServedMetric, result: SeriesResult): MetricSeries {
  if (metric.type === 'histogram' && result.transform === null) {
    return { kind: 'histogram', metric: metric.name, type: 'histogram', unit: metric.unit, points: result.points.map((p) => [p.ts, p.value as Record<string, number>]) };
  }
  return {
    kind: 'number',
    metric: metric.name,
    type: metric.type,
    unit: metric.unit,
    points: result.points.map((p) => [p.ts, typeof p.value === 'number' ? p.value : null]),
  };
}

/**
 * Reads several metrics of one IP over a range on one time axis. When the range holds more
 * buckets than `maxPoints`, the store condenses aligned groups of buckets (sums, merges,
 * distinct-count unions) so nothing is averaged away by the chart.
 */
export async function readIpSeries(
  store: Store,
  ip: string,
  metrics: readonly ServedMetric[],
  interval: ResolvedInterval,
  range: TimeRange,
  maxPoints: number,
): Promise<SeriesResponseV1> {
  const plan = planDownsampling(range.from, range.to, interval.resolution, maxPoints);
  const results = await Promise.all(
    metrics.map((metric) => {
      const transform = chartTransform(metric);
      return store.series({
        metric: metric.name,
        entity: ip,
        interval: interval.name,
        from: range.from,
        to: range.to - 1,
        ...(plan.factor > 1 ? { condense: plan.step } : {}),
        ...(transform ? { transform } : {}),
      });
    }),
  );
  const aggregation: Record<string, Aggregation> = {};
  for (const metric of metrics) aggregation[metric.name] = aggregationOf(metric.type);
  return {
    ip: results[0]?.entity ?? ip,
    interval: interval.name,
    bucketStep: interval.resolution,
    from: range.from,
    to: range.to,
    downsampling: { method: plan.factor > 1 ? 'condense' : 'none', factor: plan.factor, step: plan.step, aggregation },
    series: metrics.map((metric, i) => toMetricSeries(metric, results[i]!)),
  };
}
