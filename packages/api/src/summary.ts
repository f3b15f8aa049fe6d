import { z } from 'zod';
import { intervalName, limitParam, timeParam } from './common';
import { alert } from './alerts';

/** `GET /api/ips/:ip/summary?interval=&from=&to=&peers=`: the header of the IP page. */
export const summaryQuery = z.object({
  interval: intervalName.default('days'),
  from: timeParam.optional(),
  to: timeParam.optional(),
  peers: limitParam(200, 20),
});

export const peer = z.object({
  ip: z.string(),
  /** `out`: this IP originated the connections; `in`: the peer did. */
  direction: z.enum(['out', 'in']),
  connections: z.number(),
  bytes: z.number(),
});
export type Peer = z.infer<typeof peer>;

export const summaryResponse = z.object({
  ip: z.string(),
  from: z.number(),
  to: z.number(),
  /** First and last bucket with data, unix seconds; null when never seen. */
  firstSeen: z.number().nullable(),
  lastSeen: z.number().nullable(),
  totals: z.record(z.string(), z.number()),
  peers: z.array(peer),
  alerts: z.array(alert),
});
export type SummaryResponse = z.infer<typeof summaryResponse>;
