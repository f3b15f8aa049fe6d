import { z } from 'zod';
import { cidrParam, intervalName, limitParam, metricName, timeParam } from './common';

/**
 * `GET /api/entities/top?metric=&interval=&from=&to=&limit=&cidr=&sparkPoints=`: entities
 * ranked by a ranked metric's total over [from, to) (busiest first, ties by address), each with
 * a sparkline of at most `sparkPoints` values over the same range. `cidr` keeps only
 * addresses inside the block (IPv4 or IPv6).
 */
export const topEntitiesQuery = z.strictObject({
  metric: metricName,
  interval: intervalName.default('days'),
  from: timeParam.optional(),
  to: timeParam.optional(),
  limit: limitParam(1000, 20),
  cidr: cidrParam.optional(),
  sparkPoints: limitParam(240, 30),
});
export type TopEntitiesQuery = z.input<typeof topEntitiesQuery>;

export const topEntitiesResponse = z.object({
  metric: z.string(),
  interval: z.string(),
  from: z.number(),
  to: z.number(),
  /** The block applied, in canonical form; null when none. */
  cidr: z.string().nullable(),
  /** Seconds per sparkline point. */
  sparkStep: z.number(),
  /** False when a CIDR filter stopped after walking the 20 000 busiest entities without filling `limit` (the items are then the matches among those). */
  complete: z.boolean(),
  items: z.array(
    z.object({
      ip: z.string(),
      /** The metric's total over the range (for distinct counts: the largest bucket). */
      value: z.number(),
      /** Oldest first; null where a gauge has no data. */
      sparkline: z.array(z.number().nullable()),
    }),
  ),
});
export type TopEntitiesResponse = z.infer<typeof topEntitiesResponse>;

/**
 * `GET /api/totals?interval=&from=&to=`: every ranked metric (the store keeps a top index for
 * it; counts by default) summed over all entities for the range.
 */
export const totalsQuery = z.strictObject({
  interval: intervalName.default('days'),
  from: timeParam.optional(),
  to: timeParam.optional(),
});
export type TotalsQuery = z.input<typeof totalsQuery>;
export const totalsResponse = z.object({
  interval: z.string(),
  from: z.number(),
  to: z.number(),
  totals: z.record(z.string(), z.number()),
  /**
   * False when a metric has more than 10 000 entities: its total is then the sum over the busiest 1 000,
   * a lower bound (an exact all-entity total needs support from the store that it does not have yet).
   */
  complete: z.boolean(),
});
export type TotalsResponse = z.infer<typeof totalsResponse>;
