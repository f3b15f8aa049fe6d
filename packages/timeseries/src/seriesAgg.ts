import { InvalidSampleError } from './errors';
import type { ResolvedInterval, ResolvedMetric } from './options';

/*
 * In-Node aggregates of a batch: the samples of one series (metric and entity) folded into
 * bucket totals before anything is sent to Redis (see shardWrite.ts for how they are written).
 */

/** A count bucket's running sum (an object, so the folding loop updates it in place). */
export interface CountSum {
  n: number;
}

/** A bucket's aggregate: count sum, gauge's last value, series values, histogram counts, set/hll members. */
export type BucketAgg = CountSum | string | string[] | Map<string, number> | Set<string>;

/** Everything a batch holds for one series (metric and entity), per interval of the metric. */
export interface SeriesAgg {
  entityKey: string;
  /** Newest sample time folded in. */
  maxTs: number;
  /** Samples folded in. */
  samples: number;
  /**
   * Per interval of the metric (same order): bucket index -> aggregate. Histogram, set and hll
   * values are folded once, into `base`, and these are derived from it by {@link intervalBuckets}.
   */
  buckets: Map<number, BucketAgg>[];
  /**
   * Histogram, set and hll: buckets of the metric's finest common width (`seenUnit`, which every
   * interval's bucket width is a multiple of), so a value is hashed once, not once per interval.
   */
  base: Map<number, BucketAgg>;
  baseHotIdx: number;
  baseHot: BucketAgg | undefined;
  /**
   * Per interval: the bucket folded into last and its index (-1: none). Samples of a series
   * mostly arrive in the same bucket as the one before, so most folds skip the map lookup.
   */
  hotIdx: number[];
  hot: (BucketAgg | undefined)[];
}

/** The series of one metric in one shard, by entity key. */
export type MetricSeries = Map<string, SeriesAgg>;

/** A new, empty series aggregate of `metric` for `entityKey`. */
export function newSeriesAgg(metric: ResolvedMetric, entityKey: string, ts: number): SeriesAgg {
  return {
    entityKey,
    maxTs: ts,
    samples: 0,
    buckets: metric.intervals.map(() => new Map<number, BucketAgg>()),
    base: new Map<number, BucketAgg>(),
    baseHotIdx: -1,
    baseHot: undefined,
    hotIdx: metric.intervals.map(() => -1),
    hot: metric.intervals.map(() => undefined),
  };
}

/**
 * Folds one checked value into a series aggregate, in every interval of the metric whose cutoff
 * (`cutoffs[j]`, when given) the time reaches. `index` names the sample in errors. A histogram
 * value's count grows by `weight` (checked, at least 1; a weight of 0 is never folded).
 */
export function foldValue(metric: ResolvedMetric, agg: SeriesAgg, ts: number, value: number | string, index: number, cutoffs?: readonly number[], weight = 1): void {
  const intervals = metric.intervals;
  const type = metric.type;
  if (weight !== 1 && agg.samples > 0) {
    // A weighted histogram count can pass 2^53 within a batch; refuse before changing anything.
    const cur = agg.base.get(Math.floor(ts / metric.seenUnit)) as Map<string, number> | undefined;
    const c = cur?.get(String(value));
    if (c !== undefined && !Number.isSafeInteger(c + weight)) {
      throw new InvalidSampleError(index, 'weight', 'makes one histogram count of this batch exceed 2^53; split the batch');
    }
  }
  if (type === 'count' && agg.samples > 0) {
    // Refuse before changing anything, so a refused value leaves the aggregate as it was.
    for (let j = 0; j < intervals.length; j++) {
      const idx = Math.floor(ts / (intervals[j] as ResolvedInterval).resolution);
      const cur = agg.hotIdx[j] === idx ? agg.hot[j] : (agg.buckets[j] as Map<number, BucketAgg>).get(idx);
      if (cur !== undefined && !Number.isSafeInteger((cur as CountSum).n + (value as number))) {
        throw new InvalidSampleError(index, 'value', 'makes one bucket of this batch exceed 2^53; split the batch');
      }
    }
  }
  agg.samples++;
  if (ts > agg.maxTs) agg.maxTs = ts;
  if (type === 'histogram' || type === 'set' || type === 'hll') {
    // One fold into the finest buckets; intervals are derived when building (cutoffs apply there).
    const idx = Math.floor(ts / metric.seenUnit);
    let cur = agg.baseHotIdx === idx ? agg.baseHot : agg.base.get(idx);
    if (type === 'histogram') {
      const label = String(value);
      if (cur) {
        const h = cur as Map<string, number>;
        h.set(label, (h.get(label) ?? 0) + weight);
      } else agg.base.set(idx, (cur = new Map([[label, weight]])));
    } else if (cur) (cur as Set<string>).add(value as string);
    else agg.base.set(idx, (cur = new Set([value as string])));
    agg.baseHotIdx = idx;
    agg.baseHot = cur;
    return;
  }
  for (let j = 0; j < intervals.length; j++) {
    if (cutoffs !== undefined && ts < (cutoffs[j] as number)) continue;
    const idx = Math.floor(ts / (intervals[j] as ResolvedInterval).resolution);
    const buckets = agg.buckets[j] as Map<number, BucketAgg>;
    if (type === 'gauge') {
      buckets.set(idx, String(value));
      continue;
    }
    let cur = agg.hotIdx[j] === idx ? agg.hot[j] : buckets.get(idx);
    switch (type) {
      case 'count':
        if (cur) (cur as CountSum).n += value as number;
        else buckets.set(idx, (cur = { n: value as number }));
        break;
      case 'series':
        if (cur) (cur as string[]).push(String(value));
        else buckets.set(idx, (cur = [String(value)]));
        break;
    }
    agg.hotIdx[j] = idx;
    agg.hot[j] = cur;
  }
}

/**
 * The buckets of interval `j` of a series aggregate: for histogram, set and hll those of `base`
 * merged into the interval's width (computed once; `base` is never changed by it).
 */
export function intervalBuckets(metric: ResolvedMetric, agg: SeriesAgg, j: number): Map<number, BucketAgg> {
  const out = agg.buckets[j] as Map<number, BucketAgg>;
  if (agg.base.size === 0 || out.size > 0) return out;
  const width = (metric.intervals[j] as ResolvedInterval).resolution;
  const unit = metric.seenUnit;
  for (const [b, v] of agg.base) {
    const idx = Math.floor((b * unit) / width);
    const cur = out.get(idx);
    if (metric.type === 'histogram') {
      const h = v as Map<string, number>;
      if (!cur) out.set(idx, width === unit ? h : new Map(h));
      else for (const [label, c] of h) (cur as Map<string, number>).set(label, ((cur as Map<string, number>).get(label) ?? 0) + c);
    } else {
      const members = v as Set<string>;
      if (!cur) out.set(idx, width === unit ? members : new Set(members));
      else for (const m of members) (cur as Set<string>).add(m);
    }
  }
  return out;
}
