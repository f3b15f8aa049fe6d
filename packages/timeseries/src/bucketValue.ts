import type { MetricType } from './options';

/**
 * Histogram bucket: value -> number of occurrences. Keys are the values as text: numbers as
 * `String(value)`, labels as given (a label that reads as a number is a number to transforms).
 */
export type HistogramValue = Record<string, number>;

/**
 * The value of one bucket, by type: count -> number (0 when empty); gauge -> number or null;
 * series -> the numbers in write order; histogram -> {@link HistogramValue}; set -> members sorted;
 * hll -> estimated distinct count.
 */
export interface BucketValues {
  count: number;
  gauge: number | null;
  series: number[];
  histogram: HistogramValue;
  set: string[];
  hll: number;
}

export type BucketValue = BucketValues[MetricType];

/** Value of an empty bucket. */
export function emptyValue<T extends MetricType>(type: T): BucketValues[T];
export function emptyValue(type: MetricType): BucketValue {
  switch (type) {
    case 'count':
    case 'hll':
      return 0;
    case 'gauge':
      return null;
    case 'series':
    case 'set':
      return [];
    case 'histogram':
      return {};
  }
}

/**
 * Combines the values of consecutive buckets into one (condense and collapse), oldest first:
 * counts add up, a gauge keeps its last non-empty value, series concatenate, histograms add per
 * value and sets unite. (hll is combined in Redis with PFCOUNT over several buckets.)
 */
export function combineValues(type: Exclude<MetricType, 'hll'>, values: readonly BucketValue[]): BucketValue {
  switch (type) {
    case 'count': {
      let sum = 0;
      for (const v of values) sum += v as number;
      return sum;
    }
    case 'gauge': {
      let last: number | null = null;
      for (const v of values) if (v !== null) last = v as number;
      return last;
    }
    case 'series': {
      const out: number[] = [];
      for (const v of values) for (const x of v as number[]) out.push(x);
      return out;
    }
    case 'histogram': {
      const merged = new Map<string, number>();
      for (const v of values) for (const [k, c] of Object.entries(v as HistogramValue)) merged.set(k, (merged.get(k) ?? 0) + c);
      return histogramFromMap(merged);
    }
    case 'set': {
      const merged = new Set<string>();
      for (const v of values) for (const m of v as string[]) merged.add(m);
      return [...merged].sort();
    }
  }
}

/** Numeric values first in ascending order, then labels in code-point order. */
function compareHistogramKeys(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  const xn = a.trim() !== '' && Number.isFinite(x);
  const yn = b.trim() !== '' && Number.isFinite(y);
  if (xn && yn) return x - y;
  if (xn !== yn) return xn ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A histogram object: numeric values in ascending order, then labels in code-point order. */
export function histogramFromMap(counts: ReadonlyMap<string, number>): HistogramValue {
  const out: HistogramValue = {};
  for (const k of [...counts.keys()].sort(compareHistogramKeys)) out[k] = counts.get(k) as number;
  return out;
}
