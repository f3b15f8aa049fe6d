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
   * Sum of the count values (count) or weights (histogram) folded in: no bucket holds more, so
   * while it stays below 2^53 no bucket's sum can pass it. 0 for other types.
   */
  total: number;
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
   * Histogram: the label folded last into `baseHot` and its count not yet added to that bucket's
   * map (undefined: none). Consecutive values of a series mostly repeat (a server answers on one
   * port), so a repeat adds to this number instead of updating the map; {@link intervalBuckets}
   * (the only reader of `base`) adds it first. Set and hll: the member added last to `baseHot`.
   */
  hotLabel: string | undefined;
  hotCount: number;
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
    total: 0,
    buckets: metric.intervals.map(() => new Map<number, BucketAgg>()),
    base: new Map<number, BucketAgg>(),
    baseHotIdx: -1,
    baseHot: undefined,
    hotLabel: undefined,
    hotCount: 0,
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
  switch (metric.type) {
    case 'count':
      foldCount(metric, agg, ts, value as number, index, cutoffs);
      return;
    case 'histogram':
      foldHistogram(metric, agg, ts, value, index, weight);
      return;
    case 'set':
    case 'hll':
      foldMember(metric, agg, ts, value as string);
      return;
    default:
      foldListed(metric, agg, ts, value, cutoffs);
  }
}

/**
 * A count value, in every interval. No bucket of the series holds more than `agg.total` (the sum
 * of every value folded in), so the exact 2^53 check of each bucket is needed only once that sum
 * could pass it. A refused value leaves the aggregate as it was.
 */
function foldCount(metric: ResolvedMetric, agg: SeriesAgg, ts: number, value: number, index: number, cutoffs: readonly number[] | undefined): void {
  const intervals = metric.intervals;
  if (agg.samples > 0 && !Number.isSafeInteger(agg.total + value)) {
    for (let j = 0; j < intervals.length; j++) {
      const idx = Math.floor(ts / (intervals[j] as ResolvedInterval).resolution);
      const cur = agg.hotIdx[j] === idx ? agg.hot[j] : (agg.buckets[j] as Map<number, BucketAgg>).get(idx);
      if (cur !== undefined && !Number.isSafeInteger((cur as CountSum).n + value)) {
        throw new InvalidSampleError(index, 'value', 'makes one bucket of this batch exceed 2^53; split the batch');
      }
    }
  }
  agg.samples++;
  agg.total += value;
  if (ts > agg.maxTs) agg.maxTs = ts;
  const hotIdx = agg.hotIdx;
  const hot = agg.hot;
  for (let j = 0; j < intervals.length; j++) {
    if (cutoffs !== undefined && ts < (cutoffs[j] as number)) continue;
    const idx = Math.floor(ts / (intervals[j] as ResolvedInterval).resolution);
    if (hotIdx[j] === idx) {
      (hot[j] as CountSum).n += value;
      continue;
    }
    const buckets = agg.buckets[j] as Map<number, BucketAgg>;
    let cur = buckets.get(idx) as CountSum | undefined;
    if (cur) cur.n += value;
    else buckets.set(idx, (cur = { n: value }));
    hotIdx[j] = idx;
    hot[j] = cur;
  }
}

/**
 * A histogram value, once, into the finest buckets (intervals are derived when building; cutoffs
 * apply there). A weighted count can pass 2^53 within a batch: refused before anything changes,
 * checked exactly only once the series' total weight could reach it.
 */
function foldHistogram(metric: ResolvedMetric, agg: SeriesAgg, ts: number, value: number | string, index: number, weight: number): void {
  const idx = Math.floor(ts / metric.seenUnit);
  const label = typeof value === 'string' ? value : String(value);
  const exact = weight !== 1 && !Number.isSafeInteger(agg.total + weight);
  if (idx === agg.baseHotIdx && label === agg.hotLabel) {
    // The same bucket and label as the fold before: the count grows in hotCount.
    if (exact && !Number.isSafeInteger(((agg.baseHot as Map<string, number>).get(label) ?? 0) + agg.hotCount + weight)) throw histogramOverflow(index);
    agg.hotCount += weight;
  } else {
    let cur = (agg.baseHotIdx === idx ? agg.baseHot : agg.base.get(idx)) as Map<string, number> | undefined;
    if (exact && cur !== undefined) {
      const c = (cur.get(label) ?? 0) + (cur === agg.baseHot && agg.hotLabel === label ? agg.hotCount : 0);
      if (!Number.isSafeInteger(c + weight)) throw histogramOverflow(index);
    }
    settleHot(agg);
    if (cur === undefined) agg.base.set(idx, (cur = new Map()));
    agg.baseHotIdx = idx;
    agg.baseHot = cur;
    agg.hotLabel = label;
    agg.hotCount = weight;
  }
  agg.samples++;
  agg.total += weight;
  if (ts > agg.maxTs) agg.maxTs = ts;
}

function histogramOverflow(index: number): InvalidSampleError {
  return new InvalidSampleError(index, 'weight', 'makes one histogram count of this batch exceed 2^53; split the batch');
}

/** Adds a histogram's pending count (`hotLabel`, `hotCount`) to its bucket's map. */
function settleHot(agg: SeriesAgg): void {
  const label = agg.hotLabel;
  if (label === undefined) return;
  const h = agg.baseHot as Map<string, number>;
  h.set(label, (h.get(label) ?? 0) + agg.hotCount);
  agg.hotLabel = undefined;
  agg.hotCount = 0;
}

/** A set or hll member, once, into the finest buckets (as histograms); a repeat of the last member changes nothing. */
function foldMember(metric: ResolvedMetric, agg: SeriesAgg, ts: number, member: string): void {
  const idx = Math.floor(ts / metric.seenUnit);
  if (idx !== agg.baseHotIdx || member !== agg.hotLabel) {
    let cur = (agg.baseHotIdx === idx ? agg.baseHot : agg.base.get(idx)) as Set<string> | undefined;
    if (cur) cur.add(member);
    else agg.base.set(idx, (cur = new Set([member])));
    agg.baseHotIdx = idx;
    agg.baseHot = cur;
    agg.hotLabel = member;
  }
  agg.samples++;
  if (ts > agg.maxTs) agg.maxTs = ts;
}

/** A gauge (last value wins) or series (values appended) value, in every interval. */
function foldListed(metric: ResolvedMetric, agg: SeriesAgg, ts: number, value: number | string, cutoffs: readonly number[] | undefined): void {
  const intervals = metric.intervals;
  agg.samples++;
  if (ts > agg.maxTs) agg.maxTs = ts;
  const gauge = metric.type === 'gauge';
  for (let j = 0; j < intervals.length; j++) {
    if (cutoffs !== undefined && ts < (cutoffs[j] as number)) continue;
    const idx = Math.floor(ts / (intervals[j] as ResolvedInterval).resolution);
    const buckets = agg.buckets[j] as Map<number, BucketAgg>;
    if (gauge) {
      buckets.set(idx, String(value));
      continue;
    }
    let cur = (agg.hotIdx[j] === idx ? agg.hot[j] : buckets.get(idx)) as string[] | undefined;
    if (cur) cur.push(String(value));
    else buckets.set(idx, (cur = [String(value)]));
    agg.hotIdx[j] = idx;
    agg.hot[j] = cur;
  }
}

/**
 * The buckets of interval `j` of a series aggregate: for histogram, set and hll those of `base`
 * merged into the interval's width (computed once; `base` is never changed by it).
 */
export function intervalBuckets(metric: ResolvedMetric, agg: SeriesAgg, j: number): Map<number, BucketAgg> {
  if (metric.type === 'histogram') settleHot(agg);
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
