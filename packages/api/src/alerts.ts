import { z } from 'zod';
import { ipParam, limitParam, metricName, timeParam } from './common';

export const severity = z.enum(['low', 'medium', 'high']);
export const alertStatus = z.enum(['open', 'acknowledged', 'resolved']);

/** An anomaly on one (metric, IP) series while it lasts. */
export const alert = z.object({
  id: z.string(),
  ip: z.string(),
  metric: z.string(),
  severity,
  status: alertStatus,
  /** Unix seconds of the first anomalous bucket; `end` is null while it lasts. */
  start: z.number(),
  end: z.number().nullable(),
  expected: z.number(),
  observed: z.number(),
  score: z.number(),
  /** Which model view fired: e.g. `spike`, `level`, `distribution`, `new-entity`, `silence`. */
  view: z.string(),
  explanation: z.string(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.number().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.number().nullable(),
});
export type Alert = z.infer<typeof alert>;

/** `GET /api/alerts?ip=&metric=&severity=&status=&from=&to=&limit=`, newest first. */
export const alertsQuery = z.object({
  ip: ipParam.optional(),
  metric: metricName.optional(),
  severity: severity.optional(),
  status: alertStatus.optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
  limit: limitParam(500, 100),
});
export const alertsResponse = z.object({ items: z.array(alert) });
export type AlertsResponse = z.infer<typeof alertsResponse>;

/** `POST /api/alerts/:id/acknowledge` and `/resolve`, JSON body `{ by }`. */
export const alertActionBody = z.object({ by: z.string().trim().min(1, 'must name who acts').max(100, 'must be at most 100 characters') });

/**
 * `GET /api/stream`: Server-Sent Events. Event names: `bucket` (a bucket closed: new data
 * to fetch), `alert` (an alert opened or changed), `heartbeat` (every 15 s).
 */
export const bucketEvent = z.object({ interval: z.string(), ts: z.number() });
export type BucketEvent = z.infer<typeof bucketEvent>;
