import { z } from 'zod';
import { cidrParam, intervalName, limitParam, metricName, timeParam } from './common';

/**
 * `GET /api/entities/top?metric=&interval=&from=&to=&limit=&cidr=`: entities ranked by
 * the metric's total over [from, to), each with a sparkline of `sparkPoints` values.
 */
export const topEntitiesQuery = z.object({
  metric: metricName,
  interval: intervalName.default('days'),
  from: timeParam.optional(),
  to: timeParam.optional(),
  limit: limitParam(1000, 20),
  cidr: cidrParam.optional(),
  sparkPoints: limitParam(120, 30),
});
export type TopEntitiesQuery = z.input<typeof topEntitiesQuery>;

export const topEntitiesResponse = z.object({
  metric: z.string(),
  interval: z.string(),
  from: z.number(),
  to: z.number(),
  items: z.array(z.object({ ip: z.string(), value: z.number(), sparkline: z.array(z.number()) })),
});
export type TopEntitiesResponse = z.infer<typeof topEntitiesResponse>;

/** `GET /api/totals?interval=&from=&to=`: every metric summed over all entities for the range. */
export const totalsResponse = z.object({ from: z.number(), to: z.number(), totals: z.record(z.string(), z.number()) });
export type TotalsResponse = z.infer<typeof totalsResponse>;
