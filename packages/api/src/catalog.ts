import { z } from 'zod';
import { metricType } from './common';

/** `GET /api/metrics`: the metric catalog. An interval keeps `steps` buckets of `step` seconds. */
export const intervalInfo = z.object({ name: z.string(), step: z.number(), steps: z.number() });
export const metricInfo = z.object({
  name: z.string(),
  type: metricType,
  /** Which side of a connection the IP was on. */
  key: z.enum(['orig', 'resp']),
  unit: z.string(),
  description: z.string(),
  intervals: z.array(z.string()),
  /** Whether busiest-IP rankings (`/api/entities/top`) and `/api/totals` can use this metric. */
  ranked: z.boolean(),
  /** For binned histograms: every value in order with a display label (`0.01` → `0.01-0.1s`). */
  buckets: z.array(z.object({ value: z.union([z.number(), z.string()]), label: z.string() })).optional(),
  /** True for a histogram with one value per peer IP (no bound): it feeds the peers table, not a chart. */
  unbounded: z.boolean().optional(),
});
export const catalogResponse = z.object({ metrics: z.array(metricInfo), intervals: z.array(intervalInfo) });
export type IntervalInfo = z.infer<typeof intervalInfo>;
export type MetricInfo = z.infer<typeof metricInfo>;
export type CatalogResponse = z.infer<typeof catalogResponse>;
