import { z } from 'zod';
import { metricList, intervalName, limitParam, metricType, timeParam } from './common';

/**
 * `GET /api/ips/:ip/series?metrics=a,b&interval=&from=&to=&maxPoints=`: one IP, several
 * metrics on one time axis. When the range holds more buckets than `maxPoints`, the
 * server condenses them and says how in `downsampling`.
 */
export const seriesQuery = z.object({
  metrics: metricList,
  interval: intervalName.default('days'),
  from: timeParam.optional(),
  to: timeParam.optional(),
  maxPoints: limitParam(10_000, 1500),
});
export type SeriesQueryInput = z.input<typeof seriesQuery>;

export const numberPoint = z.tuple([z.number(), z.number()]);
export const histogramPoint = z.tuple([z.number(), z.record(z.string(), z.number())]);

export const metricSeries = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('number'), metric: z.string(), type: metricType, unit: z.string(), points: z.array(numberPoint) }),
  z.object({ kind: z.literal('histogram'), metric: z.string(), type: z.literal('histogram'), unit: z.string(), points: z.array(histogramPoint) }),
]);
export type MetricSeries = z.infer<typeof metricSeries>;

export const downsampling = z.object({
  /** `none`, or how buckets were combined: counts summed, gauges last, distinct counts max. */
  method: z.enum(['none', 'condense']),
  /** Buckets per returned point. */
  factor: z.number(),
  /** Seconds per returned point. */
  step: z.number(),
});

export const seriesResponse = z.object({
  ip: z.string(),
  interval: z.string(),
  from: z.number(),
  to: z.number(),
  downsampling,
  series: z.array(metricSeries),
});
export type SeriesResponseV1 = z.infer<typeof seriesResponse>;

/** `GET /api/ips/:ip/export.csv` and `export.json`: same query as series. CSV: `timestamp,<metric>...` with ISO-8601 UTC times. */
export const exportQuery = seriesQuery;
