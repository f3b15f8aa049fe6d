import type { BucketValue, HistogramValue } from './bucketValue';
import { InvalidQueryError } from './errors';
import type { MetricType } from './options';

/**
 * Turns a bucket's value into one number (applied after condensing, as in kairos):
 * - `sum`: count -> the count; series -> sum of values; histogram -> sum of value × occurrences.
 * - `count`: number of values (series), occurrences (histogram), members (set), estimate (hll).
 * - `mean`, `min`, `max`: of the values (series, histogram); `null` for an empty bucket.
 * - `rate`: per second over the bucket's seconds: count -> count/s; series, histogram, set, hll ->
 *   their `count` per second.
 * - `p50`, `p90`, `p99`: nearest-rank percentile of the values (series, histogram): the smallest
 *   value whose cumulative share of occurrences reaches p %; `null` when empty.
 * Gauges take no transform.
 */
export type Transform = 'sum' | 'mean' | 'min' | 'max' | 'count' | 'rate' | 'p50' | 'p90' | 'p99';

const NUMERIC: readonly Transform[] = ['sum', 'mean', 'min', 'max', 'count', 'rate', 'p50', 'p90', 'p99'];

/** Transforms each type accepts. */
export const TRANSFORMS: Readonly<Record<MetricType, readonly Transform[]>> = {
  count: ['sum', 'rate'],
  gauge: [],
  series: NUMERIC,
  histogram: NUMERIC,
  set: ['count', 'rate'],
  hll: ['count', 'rate'],
};

/** Throws an {@link InvalidQueryError} unless `transform` applies to `type`. */
export function checkTransform(transform: unknown, type: MetricType, metric: string): Transform {
  const allowed = TRANSFORMS[type];
  if (typeof transform !== 'string' || !(allowed as readonly string[]).includes(transform)) {
    throw new InvalidQueryError(
      'transform',
      `${JSON.stringify(transform)} does not apply to ${type} metric ${JSON.stringify(metric)}; ` +
        (allowed.length > 0 ? `use one of ${allowed.join(', ')}` : 'gauges take no transform'),
    );
  }
  return transform as Transform;
}

function percentileOf(p: number, n: number): number {
  return Math.max(1, Math.ceil((p / 100) * n));
}

function seriesTransform(values: readonly number[], t: Transform, seconds: number): number | null {
  const n = values.length;
  switch (t) {
    case 'count':
      return n;
    case 'rate':
      return n / seconds;
    case 'sum': {
      let s = 0;
      for (const v of values) s += v;
      return s;
    }
    case 'mean': {
      if (n === 0) return null;
      let s = 0;
      for (const v of values) s += v;
      return s / n;
    }
    case 'min':
      return n === 0 ? null : values.reduce((a, b) => (b < a ? b : a));
    case 'max':
      return n === 0 ? null : values.reduce((a, b) => (b > a ? b : a));
    case 'p50':
    case 'p90':
    case 'p99': {
      if (n === 0) return null;
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[percentileOf(Number(t.slice(1)), n) - 1] as number;
    }
  }
}

function histogramTransform(h: HistogramValue, t: Transform, seconds: number): number | null {
  const entries = Object.entries(h)
    .map(([k, c]) => [Number(k), c] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  for (const [, c] of entries) total += c;
  if (t === 'count') return total;
  if (t === 'rate') return total / seconds;
  const label = entries.find(([v]) => Number.isNaN(v));
  if (label) {
    const name = Object.keys(h).find((k) => Number.isNaN(Number(k))) ?? '';
    throw new InvalidQueryError('transform', `${t} needs numeric histogram values, but this histogram has labels such as ${JSON.stringify(name)}; use count or rate`);
  }
  switch (t) {
    case 'sum': {
      let s = 0;
      for (const [v, c] of entries) s += v * c;
      return s;
    }
    case 'mean': {
      if (total === 0) return null;
      let s = 0;
      for (const [v, c] of entries) s += v * c;
      return s / total;
    }
    case 'min':
      return entries.length === 0 ? null : (entries[0] as readonly [number, number])[0];
    case 'max':
      return entries.length === 0 ? null : (entries[entries.length - 1] as readonly [number, number])[0];
    default: {
      if (total === 0) return null;
      const rank = percentileOf(Number(t.slice(1)), total);
      let cumulative = 0;
      for (const [v, c] of entries) {
        cumulative += c;
        if (cumulative >= rank) return v;
      }
      return null;
    }
  }
}

/**
 * Applies a checked transform to one (possibly condensed) bucket value. `seconds` is the time the
 * value covers, used by `rate`.
 */
export function applyTransform(type: MetricType, value: BucketValue, transform: Transform, seconds: number): number | null {
  switch (type) {
    case 'count':
      return transform === 'rate' ? (value as number) / seconds : (value as number);
    case 'hll':
      return transform === 'rate' ? (value as number) / seconds : (value as number);
    case 'set':
      return transform === 'rate' ? (value as string[]).length / seconds : (value as string[]).length;
    case 'series':
      return seriesTransform(value as number[], transform, seconds);
    case 'histogram':
      return histogramTransform(value as HistogramValue, transform, seconds);
    case 'gauge':
      throw new InvalidQueryError('transform', 'gauges take no transform');
  }
}
