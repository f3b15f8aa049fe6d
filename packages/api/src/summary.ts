import { z } from 'zod';
import { intervalName, limitParam, timeParam } from './common';
import { alert } from './alerts';

/**
 * `GET /api/ips/:ip/summary?interval=&from=&to=&peers=&peersBy=&alerts=`: the header of the IP
 * page. `peersBy` (`connections`, default, or `bytes`) picks which busiest peers are listed.
 */
export const summaryQuery = z.strictObject({
  interval: intervalName.default('days'),
  from: timeParam.optional(),
  to: timeParam.optional(),
  peers: limitParam(200, 20),
  peersBy: z.enum(['connections', 'bytes']).default('connections'),
  alerts: limitParam(100, 20),
});
export type SummaryQuery = z.input<typeof summaryQuery>;

export const peer = z.object({
  ip: z.string(),
  /** `out`: this IP originated the connections; `in`: the peer did. */
  direction: z.enum(['out', 'in']),
  connections: z.number(),
  /** Bytes both ways on those connections; null when the catalog keeps no peer byte counts. */
  bytes: z.number().nullable(),
});
export type Peer = z.infer<typeof peer>;

export const summaryResponse = z.object({
  ip: z.string(),
  interval: z.string(),
  from: z.number(),
  to: z.number(),
  /**
   * Start of the first and of the last bucket with activity, unix seconds, from the count metrics
   * (every metric when the catalog has none), at the finest interval that still holds it; null when
   * never seen (or no longer retained).
   */
  firstSeen: z.number().nullable(),
  lastSeen: z.number().nullable(),
  /** Per metric over [from, to): sum for counts, largest bucket for distinct counts, total count for histograms. */
  totals: z.record(z.string(), z.number()),
  /** Busiest peers over the range, both directions; `peersAvailable` is false when the catalog keeps no peer metrics. */
  peersAvailable: z.boolean(),
  peers: z.array(peer),
  /** Most recent alerts of this IP, newest first. */
  alerts: z.array(alert),
});
export type SummaryResponse = z.infer<typeof summaryResponse>;
