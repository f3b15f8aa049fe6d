import { z } from 'zod';
import { metricList, intervalName, limitParam, metricType, timeParam } from './common';

/**
 * `GET /api/ips/:ip/series?metrics=a,b&interval=&from=&to=&maxPoints=`: one IP, several
 * metrics on one time axis, buckets in [from, to). `to` defaults to the end of the current
 * bucket, `from` to 6 hours before `to` (minute interval) or 7 days (coarser intervals).
 * When the range holds more buckets than `maxPoints`, the server condenses them and says
 * how in `downsampling`.
 */
export const seriesQuery = z.strictObject({
  metrics: metricList,
  interval: intervalName.default('days'),
  from: timeParam.optional(),
  to: timeParam.optional(),
  maxPoints: limitParam(10_000, 1500),
});
export type SeriesQueryInput = z.input<typeof seriesQuery>;
export type SeriesQueryParsed = z.output<typeof seriesQuery>;

/** `[bucket start (unix seconds), value]`; value null where a gauge-like metric has no data. */
export const numberPoint = z.tuple([z.number(), z.number().nullable()]);
/** `[bucket start (unix seconds), {histogram value: count}]`. */
export const histogramPoint = z.tuple([z.number(), z.record(z.string(), z.number())]);

export const metricSeries = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('number'), metric: z.string(), type: metricType, unit: z.string(), points: z.array(numberPoint) }),
  z.object({ kind: z.literal('histogram'), metric: z.string(), type: z.literal('histogram'), unit: z.string(), points: z.array(histogramPoint) }),
]);
export type MetricSeries = z.infer<typeof metricSeries>;

/** How a metric's buckets are combined when condensed; see `downsample.ts`. */
export const aggregation = z.enum(['sum', 'mean', 'last', 'distinct', 'merge']);

export const downsampling = z.object({
  /**
   * `none`: one point per stored bucket. `condense`: groups of `factor` consecutive buckets,
   * aligned to multiples of `step` seconds, each combined as `aggregation[metric]` says
   * (counts summed, series averaged, gauges last, distinct counts over the union, histograms merged).
   */
  method: z.enum(['none', 'condense']),
  /** Buckets per returned point. */
  factor: z.number(),
  /** Seconds per returned point. */
  step: z.number(),
  /** Per metric, how its buckets were combined (also given when `method` is `none`). */
  aggregation: z.record(z.string(), aggregation),
});
export type Downsampling = z.infer<typeof downsampling>;

export const seriesResponse = z.object({
  ip: z.string(),
  interval: z.string(),
  /** Seconds per stored bucket of the interval. */
  bucketStep: z.number(),
  from: z.number(),
  to: z.number(),
  downsampling,
  series: z.array(metricSeries),
});
export type SeriesResponseV1 = z.infer<typeof seriesResponse>;

/**
 * `GET /api/ips/:ip/export.csv` and `export.json`: the series query, full resolution unless
 * `maxPoints` asks for fewer points. CSV: `timestamp,<metric>...,<histogram>[<value>]...`
 * with ISO-8601 UTC times (see `csv.ts`); JSON: the series response.
 */
export const exportQuery = seriesQuery.extend({ maxPoints: limitParam(10_000, 10_000) });
export type ExportQueryInput = z.input<typeof exportQuery>;
