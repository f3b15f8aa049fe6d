/**
 * Kafka headers on the messages a backfill writes. The ingest worker reads
 * `format` and `metrics`; the others are for people tracing a record back.
 *
 * - `format`: how to decode the value: `netevent` (an ipscope-native message,
 *   see decodeNetEventMessage) for archive lines, or the source topic's format
 *   (`zeek`, `suricata`, `goflow2`) for raw copies made by `--from-topic`.
 * - `metrics`: comma-separated metric names, present only when the backfill
 *   was started with `--metrics`: apply only these metrics to the message, so
 *   a new or changed metric is filled over the past without touching others.
 * - `source`: where the record came from: `<file>:<line>` or
 *   `<topic>:<partition>:<offset>`.
 * - `job`: the backfill job id.
 *
 * Dead letters carry `source`, `job`, `format` (when known) and `reason`,
 * `message`, `field` (when one field is at fault) and `truncated` (the
 * original length, when the value had to be cut).
 */
export const BACKFILL_HEADERS = {
  format: 'ipscope-format',
  metrics: 'ipscope-metrics',
  source: 'ipscope-source',
  job: 'ipscope-job',
  reason: 'ipscope-reason',
  message: 'ipscope-message',
  field: 'ipscope-field',
  truncated: 'ipscope-truncated',
} as const;
