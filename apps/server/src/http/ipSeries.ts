import { aggregationOf, planDownsampling, type Aggregation, type MetricSeries, type SeriesResponseV1 } from '@ipscope/api';
import type { ResolvedInterval, SeriesQuery, SeriesResult, Store, Transform } from '@ipscope/timeseries';
import type { ServedMetric } from './catalogLookup';
import { seriesResponseBytes, type SeriesPart } from './seriesBytes';
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

/** What a series answer is read with: the store query of each metric, and the answer's envelope. */
function planIpSeries(ip: string, metrics: readonly ServedMetric[], interval: ResolvedInterval, range: TimeRange, maxPoints: number) {
  const plan = planDownsampling(range.from, range.to, interval.resolution, maxPoints);
  const queries: SeriesQuery[] = metrics.map((metric) => {
    const transform = chartTransform(metric);
    return {
      metric: metric.name,
      entity: ip,
      interval: interval.name,
      from: range.from,
      to: range.to - 1,
      ...(plan.factor > 1 ? { condense: plan.step } : {}),
      ...(transform ? { transform } : {}),
    };
  });
  const aggregation: Record<string, Aggregation> = {};
  for (const metric of metrics) aggregation[metric.name] = aggregationOf(metric.type);
  const envelope = (canonical: string): Omit<SeriesResponseV1, 'series'> => ({
    ip: canonical,
    interval: interval.name,
    bucketStep: interval.resolution,
    from: range.from,
    to: range.to,
    downsampling: { method: plan.factor > 1 ? 'condense' : 'none', factor: plan.factor, step: plan.step, aggregation },
  });
  return { queries, envelope };
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
  const { queries, envelope } = planIpSeries(ip, metrics, interval, range, maxPoints);
  const results = await Promise.all(queries.map((q) => store.series(q)));
  return { ...envelope(results[0]?.entity ?? ip), series: metrics.map((metric, i) => toMetricSeries(metric, results[i]!)) };
}

/** A series answer as JSON bytes, and the store version it was read at (null when its reads saw different versions). */
export interface SeriesAnswer {
  bytes: Buffer;
  version: string | null;
}

/**
 * {@link readIpSeries} written as its JSON bytes (seriesBytes.ts), with the store's version of
 * what it read (`Store.versionedSeries`): the answer stays right while
 * {@link ipSeriesVersion} returns that version. When a write lands between the metrics' reads,
 * their versions differ and the answer has none (it is not kept).
 */
export async function readIpSeriesAnswer(
  store: Store,
  ip: string,
  metrics: readonly ServedMetric[],
  interval: ResolvedInterval,
  range: TimeRange,
  maxPoints: number,
): Promise<SeriesAnswer> {
  const { queries, envelope } = planIpSeries(ip, metrics, interval, range, maxPoints);
  const reads = await Promise.all(queries.map((q) => store.versionedSeries(q)));
  const first = reads[0];
  const version = first !== undefined && reads.every((r) => r.version === first.version) ? first.version : null;
  const parts: SeriesPart[] = metrics.map((metric, i) => {
    const { result } = reads[i]!;
    const histogram = metric.type === 'histogram' && result.transform === null;
    return {
      head: histogram ? { kind: 'histogram', metric: metric.name, type: 'histogram', unit: metric.unit } : { kind: 'number', metric: metric.name, type: metric.type, unit: metric.unit },
      points: result.points,
    };
  });
  return { bytes: seriesResponseBytes(envelope(first?.result.entity ?? ip), parts), version };
}

/** The store's version of what {@link readIpSeriesAnswer} would read now, in one round trip. */
export function ipSeriesVersion(store: Store, ip: string, metrics: readonly ServedMetric[], interval: ResolvedInterval, range: TimeRange): Promise<string> {
  const metric = metrics[0];
  if (!metric) throw new RangeError('a series answer needs at least one metric');
  // The version names the entity's data (every metric) and the interval's window over the range.
  return store.seriesVersion({ metric: metric.name, entity: ip, interval: interval.name, from: range.from, to: range.to - 1 });
}
