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
  token: number | undefined;
}

const MAX_TS = 253_402_300_799; // 9999-12-31T23:59:59Z
const MAX_MEMBER = 512;

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
  return { metric, entityKey, ts, value: checkValue(sample.value, metric, index), token };
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
