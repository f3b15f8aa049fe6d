import { chunkOf, cutoffTs, expiryTs } from './bucket';
import { InvalidSampleError } from './errors';
import type { KeyScheme } from './keyScheme';
import type { ResolvedConfig, ResolvedInterval, ResolvedMetric } from './options';
import type { CheckedSample } from './sample';

/**
 * The pre-aggregated part of a batch that falls into one shard, serialised for the write script
 * (writeScript.ts): many samples of the same metric, entity and bucket become one field update,
 * all updates of one hash one group, and the indexes are updated once per entity.
 */
export interface ShardWrite {
  shard: number;
  /** KEYS of the script; KEYS[1] is the shard's fence hash (it also routes the call in a Cluster). */
  keys: string[];
  /** Operations, after the fixed header the caller prepends. */
  ops: string[];
  /** Samples aggregated into this write. */
  samples: number;
  /** Samples older than the retention of every interval of their metric (not written). */
  dropped: number;
}

/** A count bucket's running sum (an object, so the folding loop updates it in place). */
export interface CountSum {
  n: number;
}

/** (mode, field, value) triples of one entity chunk: its values hash and its labelled hash. */
interface ChunkTriples {
  values: string[];
  labelled: string[];
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

interface MetricAgg {
  metric: ResolvedMetric;
  /** Retention cutoff per interval of the metric (same order). */
  cutoffs: number[];
  /** Oldest cutoff: a sample older than this is in no interval. */
  minCutoff: number;
  series: MetricSeries;
}

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

/**
 * Accumulates the samples of one shard. `newest` is the store's newest data time including this
 * batch: samples a retention window has already left are dropped here, and trimming of older
 * chunks is requested for every interval. Samples are folded into nested maps keyed by the
 * (interned) entity key and the bucket index; Redis keys are built once per chunk in `build`.
 * `folded` hands over series already aggregated elsewhere (a {@link BatchAggregate}); their
 * buckets older than the retention are left out when building.
 */
export class ShardWriteBuilder {
  private readonly metrics = new Map<ResolvedMetric, MetricAgg>();
  private readonly cutoffByInterval: Map<string, number>;
  private samples = 0;
  private dropped = 0;

  constructor(
    private readonly shard: number,
    private readonly config: ResolvedConfig,
    private readonly keys: KeyScheme,
    private readonly newest: number,
    private readonly ids: ReadonlyMap<string, number>,
    folded?: ReadonlyMap<ResolvedMetric, MetricSeries>,
  ) {
    this.cutoffByInterval = new Map([...config.intervals.values()].map((i) => [i.name, cutoffTs(i, newest)]));
    if (folded) {
      for (const [metric, series] of folded) {
        const m = this.metricAgg(metric);
        for (const agg of series.values()) {
          if (agg.maxTs < m.minCutoff) {
            this.dropped += agg.samples;
            continue;
          }
          this.samples += agg.samples;
          m.series.set(agg.entityKey, agg);
        }
      }
    }
  }

  private metricAgg(metric: ResolvedMetric): MetricAgg {
    let m = this.metrics.get(metric);
    if (!m) {
      const cutoffs = metric.intervals.map((i) => this.cutoffByInterval.get(i.name) as number);
      m = { metric, cutoffs, minCutoff: Math.min(...cutoffs), series: new Map() };
      this.metrics.set(metric, m);
    }
    return m;
  }

  add(sample: CheckedSample, index: number): void {
    const m = this.metricAgg(sample.metric);
    const { ts, value } = sample;
    if (ts < m.minCutoff) {
      this.dropped++;
      return;
    }
    this.samples++;
    let agg = m.series.get(sample.entityKey);
    if (!agg) m.series.set(sample.entityKey, (agg = newSeriesAgg(m.metric, sample.entityKey, ts)));
    foldValue(m.metric, agg, ts, value, index, m.cutoffs, sample.weight);
  }

  get isEmpty(): boolean {
    return this.samples === 0;
  }

  /** Serialises the operations (see writeScript.ts for their meaning). */
  build(): ShardWrite {
    const keys: string[] = [this.keys.shardFence(this.shard)];
    const ops: string[] = [];
    const k = (key: string): string => {
      keys.push(key);
      return String(keys.length);
    };
    const expiries = new Map<string, number>();
    // interval -> chunk -> entities with data in it (any metric)
    const rosters = new Map<ResolvedInterval, Map<number, Set<string>>>();
    // interval -> entity -> chunk -> (mode, field, value) triples of its values hash and of its
    // labelled hash (histogram and set metrics)
    const values = new Map<ResolvedInterval, Map<string, Map<number, ChunkTriples>>>();
    const registry: string[] = [];

    for (const m of this.metrics.values()) {
      const { metric } = m;
      if (m.series.size === 0) continue;
      const id = this.ids.get(metric.name) as number;
      registry.push(metric.name, this.keys.registryEntry(metric.kind, metric.top, id));
      const lastSeen: string[] = [];
      metric.intervals.forEach((interval, j) => {
        let chunks = rosters.get(interval);
        if (!chunks) rosters.set(interval, (chunks = new Map()));
        let byEntity = values.get(interval);
        if (!byEntity) values.set(interval, (byEntity = new Map()));
        // chunk -> entity -> total added (top index)
        const tops = new Map<number, Map<string, number>>();
        const cutIndex = (m.cutoffs[j] as number) / interval.resolution;
        for (const agg of m.series.values()) {
          if (agg.maxTs < (m.cutoffs[j] as number)) continue;
          const buckets = intervalBuckets(metric, agg, j);
          if (buckets.size === 0) continue;
          const grouped = byChunk(buckets, interval, cutIndex);
          if (grouped.length === 0) continue;
          let entityValues = byEntity.get(agg.entityKey);
          if (!entityValues) byEntity.set(agg.entityKey, (entityValues = new Map()));
          for (const [chunk, entries] of grouped) {
            let triples = entityValues.get(chunk);
            if (!triples) entityValues.set(chunk, (triples = { values: [], labelled: [] }));
            const increment = this.emitChunk(ops, k, triples, metric, id, interval, agg.entityKey, chunk, entries);
            let roster = chunks.get(chunk);
            if (!roster) chunks.set(chunk, (roster = new Set()));
            roster.add(agg.entityKey);
            if (metric.top) {
              let top = tops.get(chunk);
              if (!top) tops.set(chunk, (top = new Map()));
              top.set(agg.entityKey, increment);
            }
          }
        }
        for (const [chunk, top] of tops) {
          ops.push('Z', k(this.keys.topIndex(this.shard, metric.name, interval.name, chunk)), String(top.size));
          for (const [ek, inc] of top) ops.push(ek, String(inc));
        }
      });
      for (const agg of m.series.values()) {
        let expiry = 0;
        metric.intervals.forEach((interval, j) => {
          if (agg.maxTs >= (m.cutoffs[j] as number)) expiry = Math.max(expiry, expiryTs(interval, agg.maxTs));
        });
        lastSeen.push(String(-Math.floor(agg.maxTs / metric.seenUnit) * metric.seenUnit), agg.entityKey);
        if ((expiries.get(agg.entityKey) ?? 0) < expiry) expiries.set(agg.entityKey, expiry);
      }
      ops.push('L', k(this.keys.entities(this.shard, metric.name)), String(lastSeen.length / 2));
      for (const x of lastSeen) ops.push(x);
    }
    for (const [interval, byEntity] of values) {
      for (const [ek, chunks] of byEntity) {
        for (const [chunk, triples] of chunks) {
          if (triples.values.length > 0) {
            ops.push('V', k(this.keys.values(this.shard, ek, interval.name, chunk)), String(triples.values.length / 3));
            for (const x of triples.values) ops.push(x);
          }
          if (triples.labelled.length > 0) {
            ops.push('V', k(this.keys.labelled(this.shard, ek, interval.name, chunk)), String(triples.labelled.length / 3));
            for (const x of triples.labelled) ops.push(x);
          }
        }
      }
    }
    for (const [interval, chunks] of rosters) {
      const directory: string[] = [];
      for (const [chunk, entities] of chunks) {
        const v4: string[] = [];
        const v6: string[] = [];
        for (const ek of entities) (ek.length === 8 ? v4 : v6).push(this.keys.rosterMember(ek));
        if (v4.length > 0) ops.push('S', k(this.keys.roster(this.shard, interval.name, chunk)), String(v4.length), ...v4);
        if (v6.length > 0) ops.push('S', k(this.keys.roster6(this.shard, interval.name, chunk)), String(v6.length), ...v6);
        directory.push(String(chunk), String(chunk));
      }
      if (directory.length > 0) ops.push('D', k(this.keys.directory(this.shard, interval.name)), String(directory.length / 2), ...directory);
    }
    if (registry.length > 0) ops.push('H', k(this.keys.registry(this.shard)), String(registry.length / 2), ...registry);
    if (expiries.size > 0) {
      ops.push('L', k(this.keys.allEntities(this.shard)), String(expiries.size));
      for (const [ek, expiry] of expiries) ops.push(String(-expiry), ek);
    }
    for (const metric of this.config.metrics.values()) {
      // Entities whose newest data every interval of the metric has dropped: -lastSeen > -cutoff.
      const cutoff = Math.min(...metric.intervals.map((i) => this.cutoffByInterval.get(i.name) as number));
      ops.push('R', k(this.keys.entities(this.shard, metric.name)), String(-cutoff));
    }
    ops.push('R', k(this.keys.allEntities(this.shard)), String(-this.newest - 1));
    for (const interval of this.config.intervals.values()) {
      const cut = chunkOf((this.cutoffByInterval.get(interval.name) as number) / interval.resolution, interval);
      ops.push('T', k(this.keys.directory(this.shard, interval.name)), String(cut), interval.name, String(interval.chunk));
    }
    return { shard: this.shard, keys, ops, samples: this.samples, dropped: this.dropped };
  }

  /**
   * Emits the updates of one series chunk: count, gauge and series values and hll marks as
   * (mode, field, value) triples of the entity's values hash (`+` add, `=` set, `,` append),
   * histogram and set fields (`<id * chunk + offset>:<label>`) as triples of its labelled hash,
   * hll members into their HyperLogLogs. Returns what the chunk adds to the top index.
   */
  private emitChunk(
    ops: string[],
    k: (key: string) => string,
    out: ChunkTriples,
    metric: ResolvedMetric,
    id: number,
    interval: ResolvedInterval,
    ek: string,
    chunk: number,
    entries: [number, BucketAgg][],
  ): number {
    const base = chunk * interval.chunk;
    const fieldBase = id * interval.chunk - base;
    const triples = out.values;
    let increment = 0;
    switch (metric.type) {
      case 'count':
        for (const [idx, sum] of entries) {
          const n = (sum as CountSum).n;
          triples.push('+', String(fieldBase + idx), String(n));
          increment += n;
        }
        break;
      case 'gauge':
        for (const [idx, v] of entries) triples.push('=', String(fieldBase + idx), v as string);
        break;
      case 'series':
        for (const [idx, list] of entries) {
          triples.push(',', String(fieldBase + idx), (list as string[]).join(','));
          increment += (list as string[]).length;
        }
        break;
      case 'hll':
        for (const [idx, s] of entries) {
          triples.push('=', String(fieldBase + idx), '1');
          const members = s as Set<string>;
          ops.push('P', k(this.keys.hllBucket(this.shard, metric.name, ek, interval.name, chunk, idx - base)), String(members.size), ...members);
        }
        break;
      case 'histogram':
        for (const [idx, h] of entries) {
          const head = `${fieldBase + idx}:`;
          for (const [label, c] of h as Map<string, number>) {
            out.labelled.push('+', head + label, String(c));
            increment += c;
          }
        }
        break;
      case 'set':
        for (const [idx, s] of entries) {
          const head = `${fieldBase + idx}:`;
          for (const member of s as Set<string>) out.labelled.push('=', head + member, '1');
        }
        break;
    }
    return increment;
  }
}

/** Buckets at or after bucket index `from`, grouped by chunk (usually one chunk). */
function byChunk(buckets: Map<number, BucketAgg>, interval: ResolvedInterval, from: number): [number, [number, BucketAgg][]][] {
  const out: [number, [number, BucketAgg][]][] = [];
  for (const entry of buckets) {
    if (entry[0] < from) continue;
    const chunk = chunkOf(entry[0], interval);
    const group = out.find((g) => g[0] === chunk);
    if (group) group[1].push(entry);
    else out.push([chunk, [entry]]);
  }
  return out;
}
