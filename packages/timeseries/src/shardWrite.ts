import { chunkOf, cutoffTs, expiryTs } from './bucket';
import { entityIndexPart, type KeyScheme } from './keyScheme';
import type { ResolvedConfig, ResolvedInterval, ResolvedMetric } from './options';
import type { CheckedSample } from './sample';
import { foldValue, intervalBuckets, newSeriesAgg, type BucketAgg, type CountSum, type MetricSeries } from './seriesAgg';

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

/**
 * Updates of one hash, grouped by mode (writeScript.ts, `V`): (field, increment) pairs added to
 * the stored number, (field, text) pairs appended to the stored text, (field, value) pairs set.
 */
interface HashUpdate {
  add: string[];
  append: string[];
  set: string[];
}

/** Updates of one entity chunk: its values hash and its labelled hash. */
interface ChunkUpdates {
  values: HashUpdate;
  labelled: HashUpdate;
}

function newHashUpdate(): HashUpdate {
  return { add: [], append: [], set: [] };
}

function isEmptyUpdate(u: HashUpdate): boolean {
  return u.add.length === 0 && u.append.length === 0 && u.set.length === 0;
}

/** Appends a `V` operation for hash key `k`. */
function pushHashUpdate(ops: string[], k: string, u: HashUpdate): void {
  ops.push('V', k, String(u.add.length / 2), String(u.append.length / 2), String(u.set.length / 2));
  for (const x of u.add) ops.push(x);
  for (const x of u.append) ops.push(x);
  for (const x of u.set) ops.push(x);
}

interface MetricAgg {
  metric: ResolvedMetric;
  /** Retention cutoff per interval of the metric (same order). */
  cutoffs: number[];
  /** Oldest cutoff: a sample older than this is in no interval. */
  minCutoff: number;
  series: MetricSeries;
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
    // interval -> entity -> chunk -> updates of its values hash and of its labelled hash
    // (histogram and set metrics)
    const values = new Map<ResolvedInterval, Map<string, Map<number, ChunkUpdates>>>();
    const registry: string[] = [];

    for (const m of this.metrics.values()) {
      const { metric } = m;
      if (m.series.size === 0) continue;
      const id = this.ids.get(metric.name) as number;
      registry.push(metric.name, this.keys.registryEntry(metric.kind, metric.top, id));
      // entity index part -> score -> entities
      const lastSeen = new Map<number, Map<number, string[]>>();
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
            let updates = entityValues.get(chunk);
            if (!updates) entityValues.set(chunk, (updates = { values: newHashUpdate(), labelled: newHashUpdate() }));
            const increment = this.emitChunk(ops, k, updates, metric, id, interval, agg.entityKey, chunk, entries);
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
        const part = entityIndexPart(agg.entityKey);
        let groups = lastSeen.get(part);
        if (!groups) lastSeen.set(part, (groups = new Map()));
        addToGroup(groups, -Math.floor(agg.maxTs / metric.seenUnit) * metric.seenUnit, agg.entityKey);
        if ((expiries.get(agg.entityKey) ?? 0) < expiry) expiries.set(agg.entityKey, expiry);
      }
      for (const [part, groups] of lastSeen) pushGroups(ops, k(this.keys.entityIndexPart(this.shard, metric.name, part)), groups);
    }
    for (const [interval, byEntity] of values) {
      for (const [ek, chunks] of byEntity) {
        for (const [chunk, updates] of chunks) {
          if (!isEmptyUpdate(updates.values)) pushHashUpdate(ops, k(this.keys.values(this.shard, ek, interval.name, chunk)), updates.values);
          if (!isEmptyUpdate(updates.labelled)) pushHashUpdate(ops, k(this.keys.labelled(this.shard, ek, interval.name, chunk)), updates.labelled);
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
      const groups = new Map<number, string[]>();
      for (const [ek, expiry] of expiries) addToGroup(groups, -expiry, ek);
      pushGroups(ops, k(this.keys.allEntities(this.shard)), groups);
    }
    for (const metric of this.config.metrics.values()) {
      // Entities whose newest data every interval of the metric has dropped: -lastSeen > -cutoff.
      const cutoff = Math.min(...metric.intervals.map((i) => this.cutoffByInterval.get(i.name) as number));
      for (const key of this.keys.entityIndexParts(this.shard, metric.name)) ops.push('R', k(key), String(-cutoff));
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
   * updates of the entity's values hash (count added, gauge set, series appended, hll marked),
   * histogram and set fields (`<id * chunk + offset>:<label>`) as updates of its labelled hash,
   * hll members into their HyperLogLogs. Returns what the chunk adds to the top index.
   */
  private emitChunk(
    ops: string[],
    k: (key: string) => string,
    out: ChunkUpdates,
    metric: ResolvedMetric,
    id: number,
    interval: ResolvedInterval,
    ek: string,
    chunk: number,
    entries: [number, BucketAgg][],
  ): number {
    const base = chunk * interval.chunk;
    const fieldBase = id * interval.chunk - base;
    const values = out.values;
    let increment = 0;
    switch (metric.type) {
      case 'count':
        for (const [idx, sum] of entries) {
          const n = (sum as CountSum).n;
          values.add.push(String(fieldBase + idx), String(n));
          increment += n;
        }
        break;
      case 'gauge':
        for (const [idx, v] of entries) values.set.push(String(fieldBase + idx), v as string);
        break;
      case 'series':
        for (const [idx, list] of entries) {
          values.append.push(String(fieldBase + idx), (list as string[]).join(','));
          increment += (list as string[]).length;
        }
        break;
      case 'hll':
        for (const [idx, s] of entries) {
          values.set.push(String(fieldBase + idx), '1');
          const members = s as Set<string>;
          ops.push('P', k(this.keys.hllBucket(this.shard, metric.name, ek, interval.name, chunk, idx - base)), String(members.size), ...members);
        }
        break;
      case 'histogram':
        for (const [idx, h] of entries) {
          const head = `${fieldBase + idx}:`;
          for (const [label, c] of h as Map<string, number>) {
            out.labelled.add.push(head + label, String(c));
            increment += c;
          }
        }
        break;
      case 'set':
        for (const [idx, s] of entries) {
          const head = `${fieldBase + idx}:`;
          for (const member of s as Set<string>) out.labelled.set.push(head + member, '1');
        }
        break;
    }
    return increment;
  }
}

function addToGroup(groups: Map<number, string[]>, score: number, member: string): void {
  const list = groups.get(score);
  if (list) list.push(member);
  else groups.set(score, [member]);
}

/** Appends an `L` operation (writeScript.ts): each score once, with the members that take it. */
function pushGroups(ops: string[], k: string, groups: ReadonlyMap<number, readonly string[]>): void {
  ops.push('L', k, String(groups.size));
  for (const [score, members] of groups) {
    ops.push(String(score), String(members.length));
    for (const m of members) ops.push(m);
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
