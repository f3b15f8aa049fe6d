/**
 * One observation for the store: add `value` to series `metric` of `entity`
 * (an IP) at time `ts` (unix seconds). The shape packages/timeseries writes.
 *
 * - `count`: a number to add; `gauge`/`series`: a number to record.
 * - `histogram`: the value whose count goes up by one: a number (a port, a
 *   bin's lower edge) or a string label (a connection state, a service).
 * - `hll`/`set`: a string member.
 *
 * A weighted histogram's sample also carries `weight`, what its value's count grows by.
 */
export interface Sample {
  metric: string;
  entity: string;
  ts: number;
  value: number | string;
  /**
   * Histogram of a weighted metric (see `MetricDefinition.weight`): what the count of `value`
   * grows by, a positive whole number. Absent: 1.
   */
  weight?: number;
}

/**
 * Receives samples without allocating an object for each: the ingest's
 * pre-aggregation can fold them straight into its batch maps.
 */
export type SampleSink = (metric: string, entity: string, ts: number, value: number | string, weight?: number) => void;

/**
 * Receives one event's samples by position (see `CompiledCatalog.emitByRole`): `metric` is the
 * metric's index in the catalog's `metrics`, `role` the IP the sample belongs to (0: the
 * originator, 1: the responder); the time is the event's. Nothing per sample is looked up by name.
 */
export type RoleSampleSink = (metric: number, role: 0 | 1, value: number | string, weight?: number) => void;
