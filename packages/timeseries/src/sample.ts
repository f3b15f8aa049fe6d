import { InvalidIpError, InvalidSampleError } from './errors';
import { ipKey } from './canonicalIp';
import type { ResolvedConfig, ResolvedMetric } from './options';

/** One observation: `value` of `metric` for the IP `entity` at unix time `ts` (seconds, may be fractional). */
export interface Sample {
  metric: string;
  /** IPv4 or IPv6 address in any valid spelling; stored canonically. */
  entity: string;
  ts: number;
  /**
   * count: a non-negative whole number; gauge, series: a finite number; histogram: a finite
   * number or a label (non-empty string);
   * set, hll: a member, a non-empty string (numbers are turned into their decimal text).
   */
  value: number | string;
  /**
   * Histogram only: how much the count of `value` in its bucket grows, a non-negative whole
   * number (for example the bytes of a connection, so the histogram sums bytes per value).
   * Default 1. A weight of 0 adds nothing: the sample is checked, then ignored (a histogram holds
   * no zero counts, and the store's newest time and entity indexes do not move for it).
   */
  weight?: number;
  /**
   * Fence token of this sample when a batch mixes several (for example the Kafka offset of the
   * record it came from). Default: the batch's fence token. Ignored without a fence.
   */
  token?: number;
}

/** A checked sample, ready for pre-aggregation. */
export interface CheckedSample {
  metric: ResolvedMetric;
  entityKey: string;
  ts: number;
  /** number for count/gauge/series, number or label for histogram, member text for set/hll. */
  value: number | string;
  /** Histogram: what the value's count grows by (1 unless the sample said otherwise); 1 for other types. */
  weight: number;
  token: number | undefined;
}

/** Latest sample time accepted: 9999-12-31T23:59:59Z. */
export const MAX_TS = 253_402_300_799;
/** Longest histogram label or set/hll member accepted, in characters. */
export const MAX_MEMBER = 512;

/**
 * Turns IP texts into key forms, remembering recent answers (the same few thousand IPs repeat
 * in every batch).
 */
export class EntityKeys {
  private readonly cache = new Map<string, string>();
  constructor(private readonly limit = 200_000) {}

  keyOf(entity: string): string {
    const hit = this.cache.get(entity);
    if (hit !== undefined) return hit;
    const key = ipKey(entity);
    if (this.cache.size >= this.limit) this.cache.clear();
    this.cache.set(entity, key);
    return key;
  }
}

/**
 * Checks one sample against the configuration. Throws {@link InvalidSampleError} naming the field
 * and the reason; never partially accepts.
 */
export function checkSample(sample: Sample, index: number, config: ResolvedConfig, entities: EntityKeys, nowSeconds: number): CheckedSample {
  if (typeof sample !== 'object' || sample === null) throw new InvalidSampleError(index, 'sample', 'must be an object {metric, entity, ts, value}');
  const metric = typeof sample.metric === 'string' ? config.metrics.get(sample.metric) : undefined;
  if (!metric) {
    throw new InvalidSampleError(index, 'metric', `${JSON.stringify(sample.metric)} is not a configured metric (known: ${[...config.metrics.keys()].join(', ')})`);
  }
  let entityKey: string;
  try {
    entityKey = entities.keyOf(sample.entity);
  } catch (error) {
    if (error instanceof InvalidIpError) throw new InvalidSampleError(index, 'entity', `is not an IP address: ${error.message}`);
    throw error;
  }
  const ts = sample.ts;
  checkTs(ts, index, config, nowSeconds);
  const token = sample.token;
  if (token !== undefined && (typeof token !== 'number' || !Number.isSafeInteger(token) || token < 0)) {
    throw new InvalidSampleError(index, 'token', `must be a non-negative whole number, got ${String(token)}`);
  }
  const value = checkValue(sample.value, metric, index);
  const weight = sample.weight === undefined ? 1 : checkWeight(sample.weight, metric, index);
  return { metric, entityKey, ts, value, weight, token };
}

/**
 * Checks a histogram sample's weight (see {@link Sample.weight}); throws {@link InvalidSampleError}
 * naming sample `index` for a weight that is not a non-negative whole number up to 2^53, or for
 * any weight given to a metric that is not a histogram.
 */
export function checkWeight(weight: unknown, metric: ResolvedMetric, index: number): number {
  if (metric.type !== 'histogram') throw new InvalidSampleError(index, 'weight', `is only for histogram samples; ${JSON.stringify(metric.name)} is a ${metric.type} metric`);
  if (typeof weight !== 'number') throw new InvalidSampleError(index, 'weight', `${what(metric)} must be a number, got ${typeof weight}`);
  if (!Number.isFinite(weight)) throw new InvalidSampleError(index, 'weight', `${what(metric)} must be finite, got ${weight}`);
  if (weight < 0) throw new InvalidSampleError(index, 'weight', `${what(metric)} must not be negative, got ${weight}`);
  if (!Number.isSafeInteger(weight)) throw new InvalidSampleError(index, 'weight', `${what(metric)} must be a whole number up to 2^53, got ${weight}`);
  return weight;
}

/** Checks a sample time (unix seconds); throws {@link InvalidSampleError} naming sample `index`. */
export function checkTs(ts: unknown, index: number, config: ResolvedConfig, nowSeconds: number): asserts ts is number {
  if (typeof ts !== 'number' || !Number.isFinite(ts)) throw new InvalidSampleError(index, 'ts', `must be a finite number of unix seconds, got ${String(ts)}`);
  if (ts < 0 || ts > MAX_TS) throw new InvalidSampleError(index, 'ts', `${ts} is outside 1970..9999 (unix seconds expected, not milliseconds)`);
  if (ts > nowSeconds + config.maxFutureSeconds) {
    throw new InvalidSampleError(index, 'ts', `${ts} is more than ${config.maxFutureSeconds}s in the future; it would expire all older data (option maxFutureSeconds)`);
  }
}

/** Names a metric in an error message (built only when a value is refused). */
function what(metric: ResolvedMetric): string {
  return `of ${metric.type} metric ${JSON.stringify(metric.name)}`;
}

/** Checks a value against its metric's type; returns the form the store aggregates (numbers, labels, member text). */
export function checkValue(value: unknown, metric: ResolvedMetric, index: number): number | string {
  switch (metric.type) {
    case 'count':
      if (typeof value !== 'number') throw new InvalidSampleError(index, 'value', `${what(metric)} must be a number, got ${typeof value}`);
      if (!Number.isFinite(value)) throw new InvalidSampleError(index, 'value', `${what(metric)} must be finite, got ${value}`);
      if (value < 0) throw new InvalidSampleError(index, 'value', `${what(metric)} must not be negative, got ${value}`);
      if (!Number.isSafeInteger(value)) throw new InvalidSampleError(index, 'value', `${what(metric)} must be a whole number up to 2^53, got ${value}`);
      return value;
    case 'histogram':
      // Histogram values are categories: numbers (percentiles then apply) or labels such as
      // connection states and services ("SF", "tcp/443").
      if (typeof value === 'string') {
        if (value.length === 0) throw new InvalidSampleError(index, 'value', `${what(metric)} must not be an empty string`);
        if (value.length > MAX_MEMBER) throw new InvalidSampleError(index, 'value', `${what(metric)} is ${value.length} characters long, at most ${MAX_MEMBER}`);
        return value;
      }
      if (typeof value !== 'number') throw new InvalidSampleError(index, 'value', `${what(metric)} must be a number or a label string, got ${typeof value}`);
      if (!Number.isFinite(value)) throw new InvalidSampleError(index, 'value', `${what(metric)} must be finite, got ${value}`);
      return Object.is(value, -0) ? 0 : value;
    case 'gauge':
    case 'series':
      if (typeof value !== 'number') throw new InvalidSampleError(index, 'value', `${what(metric)} must be a number, got ${typeof value}`);
      if (!Number.isFinite(value)) throw new InvalidSampleError(index, 'value', `${what(metric)} must be finite, got ${value}`);
      return Object.is(value, -0) ? 0 : value;
    case 'set':
    case 'hll': {
      let member: string;
      if (typeof value === 'string') member = value;
      else if (typeof value === 'number' && Number.isFinite(value)) member = String(value);
      else throw new InvalidSampleError(index, 'value', `${what(metric)} must be a member string (or finite number), got ${typeof value === 'number' ? value : typeof value}`);
      if (member.length === 0) throw new InvalidSampleError(index, 'value', `${what(metric)} must not be an empty string`);
      if (member.length > MAX_MEMBER) throw new InvalidSampleError(index, 'value', `${what(metric)} is ${member.length} characters long, at most ${MAX_MEMBER}`);
      return member;
    }
  }
}
