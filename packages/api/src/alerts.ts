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
export const alertsQuery = z.strictObject({
  ip: ipParam.optional(),
  metric: metricName.optional(),
  severity: severity.optional(),
  status: alertStatus.optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
  limit: limitParam(500, 100),
});
export type AlertsQuery = z.input<typeof alertsQuery>;
export const alertsResponse = z.object({ items: z.array(alert) });
export type AlertsResponse = z.infer<typeof alertsResponse>;

/** Alert ids are opaque tokens of the alert store (letters, digits, `-`, `_`, `.`, `:`). */
export const alertId = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be an alert id from /api/alerts')
  .meta({ description: 'An alert id from /api/alerts' });

/** `POST /api/alerts/:id/acknowledge` and `/resolve`, JSON body `{ by }`; answers the updated alert. */
export const alertActionBody = z.strictObject({
  by: z
    .string({ error: 'must name who acts, e.g. {"by": "alice"}' })
    .trim()
    .min(1, 'must name who acts')
    .max(100, 'must be at most 100 characters')
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters'),
});
export type AlertActionBody = z.infer<typeof alertActionBody>;
export const alertActionResponse = z.object({ alert });

/**
 * `GET /api/stream`: Server-Sent Events. Event names: `bucket` (a bucket closed: new data
 * to fetch), `alert` (an alert opened or changed), `heartbeat` (every 15 s).
 */
export const bucketEvent = z.object({
  interval: z.string(),
  /** Start of the bucket that closed (unix seconds); its data is final enough to fetch. */
  ts: z.number(),
  /** Bucket width in seconds. */
  step: z.number(),
});
export type BucketEvent = z.infer<typeof bucketEvent>;
/** `alert` event: an alert opened, changed, was acknowledged or resolved. */
export const alertEvent = alert;
export type AlertEvent = z.infer<typeof alertEvent>;
/** `heartbeat` event: server time in unix seconds, so a client can tell a quiet stream from a dead one. */
export const heartbeatEvent = z.object({ time: z.number() });
export type HeartbeatEvent = z.infer<typeof heartbeatEvent>;
