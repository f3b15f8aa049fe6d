import { z } from 'zod';
import { ipParam, limitParam, metricName, timeParam } from './common';

export const severity = z.enum(['low', 'medium', 'high', 'critical'], { error: 'must be one of low, medium, high, critical' });
/** Analyst workflow: `new` (neither acknowledged nor resolved), `acknowledged` (not resolved), `resolved`. */
export const alertStatus = z.enum(['new', 'acknowledged', 'resolved'], { error: 'must be one of new, acknowledged, resolved' });
/** The episode: `active` while scores stay high, `ended` after. */
export const alertState = z.enum(['active', 'ended'], { error: 'must be active or ended' });

/** Who acted on an alert and when (unix seconds). */
export const alertAction = z.object({ by: z.string(), at: z.number() });

/** An anomaly episode of one (metric, IP) series, with its explanation. */
export const alert = z.object({
  id: z.string(),
  ip: z.string(),
  metric: z.string(),
  severity,
  state: alertState,
  status: alertStatus,
  /** Unix seconds of the first anomalous bucket; `end` (first quiet bucket) is null while active. */
  start: z.number(),
  end: z.number().nullable(),
  /** Bucket of the latest change. */
  lastTs: z.number(),
  /** Score in [0, 1] at the latest change, and the episode's peak. */
  score: z.number(),
  peakScore: z.number(),
  /** Which model view fired: `spike`, `levelShift`, `sustainedShift`, `distribution`, `newcomer`, `stuck` (a run of one repeated value), `empty` (a run of empty buckets where activity was expected), or the peer view's `peerBeacon` (a new peer contacted at a regular gap) and `peerFlow` (a new peer receiving heavy bytes bucket after bucket). */
  view: z.string(),
  direction: z.enum(['up', 'down']),
  /** Expected versus observed at the latest change, with the expected band, in the metric's unit. */
  expected: z.number(),
  observed: z.number(),
  lower: z.number(),
  upper: z.number(),
  explanation: z.string(),
  acknowledged: alertAction.nullable(),
  resolved: alertAction.nullable(),
});
export type Alert = z.infer<typeof alert>;

/** `GET /api/alerts?ip=&metric=&severity=&state=&status=&from=&to=&limit=`: newest start first; from/to bound the start. */
export const alertsQuery = z.strictObject({
  ip: ipParam.optional(),
  metric: metricName.optional(),
  severity: severity.optional(),
  state: alertState.optional(),
  status: alertStatus.optional(),
  from: timeParam.optional(),
  to: timeParam.optional(),
  limit: limitParam(1000, 100),
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
export type AlertActionResponse = z.infer<typeof alertActionResponse>;

/**
 * `GET /api/stream`: Server-Sent Events. Event names: `bucket` (a bucket closed: new data
 * to fetch), `alert` (an alert opened, changed, was acknowledged or resolved), `heartbeat`
 * (every 15 s by default).
 */
export const bucketEvent = z.object({
  interval: z.string(),
  /** Every bucket of the interval starting at or before `ts` (unix seconds) is closed: newer data has arrived after it. */
  ts: z.number(),
  /** Bucket width in seconds. */
  step: z.number(),
});
export type BucketEvent = z.infer<typeof bucketEvent>;
/** `alert` event: what happened and the alert as it is now. */
export const alertEvent = z.object({ type: z.enum(['open', 'update', 'close', 'acknowledge', 'resolve']), alert });
export type AlertEvent = z.infer<typeof alertEvent>;
/** `heartbeat` event: server time in unix seconds, so a client can tell a quiet stream from a dead one. */
export const heartbeatEvent = z.object({ time: z.number() });
export type HeartbeatEvent = z.infer<typeof heartbeatEvent>;
