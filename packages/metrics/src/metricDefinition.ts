import type { EventField } from './eventField';

/** Series types of the store (see packages/timeseries). */
export type MetricType = 'count' | 'histogram' | 'hll' | 'set' | 'gauge' | 'series';

/** Every {@link MetricType}. */
export const METRIC_TYPES: readonly MetricType[] = ['count', 'histogram', 'hll', 'set', 'gauge', 'series'];

/** Which IP of a connection a metric is kept for: the originator or the responder. */
export type KeyRole = 'orig' | 'resp';

/**
 * Turns a field's value into a bounded histogram label.
 *
 * - `logBins`: numbers into log-scale ranges. Edges are `min·base^i` up to
 *   the first edge ≥ `max` (lower edge inclusive); `base` defaults to 10.
 *   With `labels: 'range'` (default) a bin reads `<0.01s`, `0.01-0.1s`, ...,
 *   `>=1000s` (`unit` appended); with `labels: 'lowerEdge'` it is the number
 *   where the bin starts (0 below `min`), which sorts naturally and suits a
 *   store that keeps numeric histogram values.
 * - `oneOf`: strings kept when listed in `values`, otherwise `other`.
 */
export type Transform =
  | { kind: 'logBins'; min: number; max: number; base?: number; unit?: string; labels?: 'range' | 'lowerEdge' }
  | { kind: 'oneOf'; values: readonly string[]; other: string };

/**
 * What a metric records per event: a constant (`{ const: 1 }` counts events)
 * or a field, optionally transformed, with a `default` used when the event
 * lacks the field (without one, such events give no sample).
 */
export type ValueSpec =
  | { const: number }
  | {
      field: EventField;
      transform?: Transform;
      default?: string | number;
      /**
       * A histogram of a field of unbounded cardinality (peer IPs), accepted on purpose:
       * each bucket then holds one value per distinct peer. Keep such metrics on coarse intervals.
       */
      unbounded?: true;
    };

/** Comparison operators of a {@link Filter}. */
export type Comparison = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte';

/**
 * Which events a metric counts. A field absent from an event fails every
 * comparison except `ne` and `notIn`, and passes `missing`.
 */
export type Filter =
  | { field: EventField; op: Comparison; value: string | number }
  | { field: EventField; op: 'in' | 'notIn'; values: readonly (string | number)[] }
  | { field: EventField; op: 'exists' | 'missing' }
  | { all: readonly Filter[] }
  | { any: readonly Filter[] }
  | { not: Filter };

/**
 * One metric of the catalog: plain data, so it can be validated, listed by
 * the API and fingerprinted for backfill.
 */
export interface MetricDefinition {
  /** Stable dotted name, e.g. `conn.count.resp`. Never reused for another meaning. */
  name: string;
  /**
   * Bumped by hand when the meaning changes (and the series should be rebuilt
   * by backfill); the fingerprint also changes with any semantic edit.
   */
  version: number;
  type: MetricType;
  /** The IP the series belongs to. */
  key: KeyRole;
  value: ValueSpec;
  filter?: Filter;
  /** One sentence for the catalog listing. */
  description: string;
  /** What the value counts: `connections`, `bytes`, `peers`, ... */
  unit: string;
  /** Names of the store intervals the metric is kept on, e.g. `['days', 'months']`. */
  intervals: readonly string[];
  /**
   * Histogram only: a byte or packet field whose value the bucket's count for the event's value
   * grows by, instead of 1 (`weight: 'bytes'` with `value: { field: 'peerIp' }` sums bytes per
   * peer). An event whose weight is 0 gives no sample; decoders report a missing counter as 0,
   * so a connection without byte counts adds nothing (it is not an error).
   */
  weight?: WeightField;
}

/** Event fields a histogram can be weighted by: whole-number counters of the connection. */
export type WeightField = Extract<EventField, 'bytes' | 'pkts' | 'origBytes' | 'respBytes' | 'origPkts' | 'respPkts' | 'sentBytes' | 'recvBytes' | 'sentPkts' | 'recvPkts'>;

/** Every {@link WeightField}. */
export const WEIGHT_FIELDS: readonly WeightField[] = ['bytes', 'pkts', 'origBytes', 'respBytes', 'origPkts', 'respPkts', 'sentBytes', 'recvBytes', 'sentPkts', 'recvPkts'];
