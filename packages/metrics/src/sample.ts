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
