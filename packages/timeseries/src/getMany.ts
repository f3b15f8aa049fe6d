import { cutoffIndex } from './bucket';
import { histogramFromMap, type BucketValue } from './bucketValue';
import { ipFromKey } from './canonicalIp';
import { execPipeline, readNewest, type StoreContext } from './context';
import { InvalidQueryError } from './errors';
import { KeyScheme } from './keyScheme';
import { lookupEntity, lookupInterval, lookupMetric } from './lookup';
import type { RedisClient } from './luaScript';
import { metricIds } from './metricIds';
import type { ResolvedConfig, ResolvedInterval, ResolvedMetric } from './options';

/** A `getMany` request: the bucket of `interval` holding `ts`, for every listed metric and entity. */
export interface GetManyQuery {
  /** Metric names; each must be kept on `interval`. */
  metrics: readonly string[];
  /** IP addresses, any valid spelling (duplicates are read once). */
  entities: readonly string[];
  interval: string;
  ts: number;
}

/**
 * What `getMany` returns: for each requested metric, the entities (canonical IP text) that have
 * a stored, retained bucket at `ts`, with its value (count, gauge: number; series: numbers;
 * histogram: value -> occurrences; set: sorted members; hll: approximate distinct count).
 * Entities with nothing stored there are absent. `ts` is the bucket start of each metric's
 * interval resolution.
 */
export interface ManyBuckets {
  values: Map<string, Map<string, BucketValue>>;
  /** Bucket start per metric. */
  ts: Map<string, number>;
}

/** Upper bound on metrics × entities per request, so one call cannot build an unbounded reply. */
export const MAX_MANY_CELLS = 2_000_000;

interface MetricPlan {
  metric: ResolvedMetric;
  interval: ResolvedInterval;
  index: number;
  chunk: number;
  offset: number;
}

/** How the replies of one shard's pipeline map back to metrics and entities. */
type Slot =
  | { kind: 'values'; entity: string; plans: MetricPlan[] }
  | { kind: 'labelled'; entity: string; plan: MetricPlan; key: string; field: number }
  | { kind: 'hll'; entity: string; plan: MetricPlan };

/**
 * Reads one bucket of many entities for several metrics, in one pipelined round trip per shard
 * (all shards at once), instead of one `get` per (metric, entity). Made for the detector, which
 * needs every active IP's values of a just-closed minute.
 *
 * Per shard and entity it sends one HMGET of the entity's values hash (every count, gauge and
 * series metric whose bucket falls in the same chunk), one HSCAN of each histogram or set chunk
 * hash matching the bucket's fields only, and one PFCOUNT per hll metric. Every key of a pipeline
 * shares the shard's hash tag, so it works on Redis Cluster. Retention is applied as `get` does it
 * (buckets older than the newest data's window are not returned).
 *
 * It reads the store's layout with its own client, so it does not need the `Store` object itself;
 * create it with the same client and the store's `config`.
 */
export class BucketReader {
  private readonly ctx: StoreContext;

  constructor(client: RedisClient, config: ResolvedConfig) {
    this.ctx = { client, config, keys: new KeyScheme(config.prefix, config.shards), trimCursor: 0 };
  }

  /** See {@link BucketReader}. Throws {@link InvalidQueryError} for an unknown metric or interval, a bad IP or time. */
  async getMany(q: GetManyQuery): Promise<ManyBuckets> {
    const { plans, entityKeys } = this.plan(q);
    const out: ManyBuckets = { values: new Map(), ts: new Map() };
    for (const p of plans) {
      out.values.set(p.metric.name, new Map());
      out.ts.set(p.metric.name, p.index * p.interval.resolution);
    }
    if (plans.length === 0 || entityKeys.length === 0) return out;
    const newestRead = readNewest(this.ctx);
    const idsRead = metricIds(this.ctx);
    const [newest, ids] = await Promise.all([newestRead, idsRead]);
    if (newest === null) return out;
    const visible = plans.filter((p) => p.index >= cutoffIndex(p.interval, newest) && p.index <= Math.floor(newest / p.interval.resolution));
    if (visible.length === 0) return out;

    const byShard = new Map<number, string[]>();
    for (const key of entityKeys) {
      const shard = this.ctx.keys.shardOf(key);
      let list = byShard.get(shard);
      if (!list) byShard.set(shard, (list = []));
      list.push(key);
    }
    await Promise.all([...byShard].map(([shard, keys]) => this.readShard(shard, keys, visible, ids, out)));
    return out;
  }

  private plan(q: GetManyQuery): { plans: MetricPlan[]; entityKeys: string[] } {
    if (typeof q !== 'object' || q === null) throw new InvalidQueryError('query', 'must be an object {metrics, entities, interval, ts}');
    if (!Array.isArray(q.metrics)) throw new InvalidQueryError('metrics', 'must be an array of metric names');
    if (!Array.isArray(q.entities)) throw new InvalidQueryError('entities', 'must be an array of IP addresses');
    if (typeof q.ts !== 'number' || !Number.isFinite(q.ts) || q.ts < 0) {
      throw new InvalidQueryError('ts', `must be a finite, non-negative number of unix seconds, got ${String(q.ts)}`);
    }
    const names = [...new Set(q.metrics)];
    const entityKeys = [...new Set(q.entities.map((e) => lookupEntity(e)))];
    if (names.length * entityKeys.length > MAX_MANY_CELLS) {
      throw new InvalidQueryError('entities', `${names.length} metrics × ${entityKeys.length} entities is more than ${MAX_MANY_CELLS} buckets; split the request`);
    }
    const plans = names.map((name) => {
      const metric = lookupMetric(this.ctx.config, name);
      const interval = lookupInterval(metric, q.interval);
      const index = Math.floor(q.ts / interval.resolution);
      const chunk = Math.floor(index / interval.chunk);
      return { metric, interval, index, chunk, offset: index - chunk * interval.chunk };
    });
    return { plans, entityKeys };
  }

  private async readShard(shard: number, entityKeys: string[], plans: MetricPlan[], ids: ReadonlyMap<string, number>, out: ManyBuckets): Promise<void> {
    const keys = this.ctx.keys;
    const pipeline = this.ctx.client.pipeline();
    const slots: Slot[] = [];
    // Count, gauge and series metrics of one interval chunk share the entity's values hash.
    const valueGroups = new Map<string, MetricPlan[]>();
    for (const p of plans) {
      if (p.metric.type !== 'count' && p.metric.type !== 'gauge' && p.metric.type !== 'series') continue;
      const group = `${p.interval.name}:${p.chunk}`;
      let list = valueGroups.get(group);
      if (!list) valueGroups.set(group, (list = []));
      list.push(p);
    }
    for (const entity of entityKeys) {
      for (const group of valueGroups.values()) {
        const first = group[0] as MetricPlan;
        const fields = group.map((p) => String((ids.get(p.metric.name) as number) * p.interval.chunk + p.offset));
        pipeline.hmget(keys.values(shard, entity, first.interval.name, first.chunk), ...fields);
        slots.push({ kind: 'values', entity, plans: group });
      }
      for (const p of plans) {
        if (p.metric.type === 'histogram' || p.metric.type === 'set') {
          const key = keys.labelled(shard, entity, p.interval.name, p.chunk);
          const field = (ids.get(p.metric.name) as number) * p.interval.chunk + p.offset;
          pipeline.hscan(key, '0', 'MATCH', `${field}:*`, 'COUNT', '1000');
          slots.push({ kind: 'labelled', entity, plan: p, key, field });
        } else if (p.metric.type === 'hll') {
          pipeline.pfcount(keys.hllBucket(shard, p.metric.name, entity, p.interval.name, p.chunk, p.offset));
          slots.push({ kind: 'hll', entity, plan: p });
        }
      }
    }
    const replies = await execPipeline(pipeline, 'reading many buckets');
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as Slot;
      const reply = replies[i];
      const entity = ipFromKey(slot.entity);
      if (slot.kind === 'values') {
        (reply as (string | null)[]).forEach((text, k) => {
          if (text === null) return;
          const p = slot.plans[k] as MetricPlan;
          const value: BucketValue = p.metric.type === 'series' ? text.split(',').map(Number) : Number(text);
          out.values.get(p.metric.name)?.set(entity, value);
        });
      } else if (slot.kind === 'hll') {
        const count = Number(reply);
        if (count > 0) out.values.get(slot.plan.metric.name)?.set(entity, count);
      } else {
        const [cursor, flat] = reply as [string, string[]];
        const pairs = cursor === '0' ? flat : await this.scanAll(slot.key, slot.field);
        const value = labelledValue(slot.plan.metric, pairs);
        if (value !== undefined) out.values.get(slot.plan.metric.name)?.set(entity, value);
      }
    }
  }

  /** A labelled hash too large for one HSCAN reply: scan it to the end (rare; fields of one bucket only). */
  private async scanAll(key: string, field: number): Promise<string[]> {
    const pairs: string[] = [];
    let cursor = '0';
    for (let round = 0; round < 100_000; round++) {
      const [next, flat] = await this.ctx.client.hscan(key, cursor, 'MATCH', `${field}:*`, 'COUNT', '1000');
      pairs.push(...flat);
      cursor = next;
      if (cursor === '0') return pairs;
    }
    throw new InvalidQueryError('ts', `scanning ${key} did not finish`);
  }
}

/** A histogram or set value from `<field>:label` / count pairs of one bucket; undefined when empty. */
function labelledValue(metric: ResolvedMetric, flat: readonly string[]): BucketValue | undefined {
  if (flat.length === 0) return undefined;
  if (metric.type === 'histogram') {
    const counts = new Map<string, number>();
    for (let j = 0; j + 1 < flat.length; j += 2) {
      const field = flat[j] as string;
      counts.set(field.slice(field.indexOf(':') + 1), Number(flat[j + 1]));
    }
    return histogramFromMap(counts);
  }
  const members: string[] = [];
  for (let j = 0; j + 1 < flat.length; j += 2) {
    const field = flat[j] as string;
    members.push(field.slice(field.indexOf(':') + 1));
  }
  return [...new Set(members)].sort();
}

/** A {@link BucketReader} for a store: pass the store's Redis client and `store.config`. */
export function createBucketReader(client: RedisClient, config: ResolvedConfig): BucketReader {
  return new BucketReader(client, config);
}
