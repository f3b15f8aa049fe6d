import { writeAggregate, writeBatch, readFenceToken, trimShard, type AggregateWriteOptions, type AggregateWriteResult, type WriteOptions, type WriteResult } from './batchWriter';
import { BatchAggregate } from './batchAggregate';
import type { BucketValue } from './bucketValue';
import { readNewest, type StoreContext } from './context';
import { deleteSeries, type DeleteQuery } from './deleteSeries';
import { deleteMetric, type DeleteMetricQuery, type DeleteMetricResult } from './deleteMetric';
import { countEntities, listEntities, type EntitiesQuery } from './entityIndex';
import { KeyScheme } from './keyScheme';
import { metricIds } from './metricIds';
import type { RedisClient } from './luaScript';
import { resolveOptions, type ResolvedConfig, type StoreOptions } from './options';
import { readProperties, type BucketSpan, type PropertiesQuery } from './properties';
import { readGroupTotals, type GroupTotals, type GroupTotalsQuery } from './groupTotals';
import { EntityKeys, type Sample } from './sample';
import { readSeries, readVersionedSeries, seriesVersion, type Point, type SeriesQuery, type SeriesResult } from './seriesReader';
import { readTop, type TopEntry, type TopQuery } from './topQuery';
import type { Transform } from './transforms';

/** A `get` request: the one bucket of `interval` holding `ts`. */
export interface GetQuery {
  metric: string;
  entity: string;
  interval: string;
  ts: number;
  transform?: Transform;
}

/**
 * ipscope's time-series store: the kairos model on Redis, per metric and IP.
 *
 * ```ts
 * const store = createStore(redis, {            // an ioredis Redis or Cluster
 *   prefix: 'ips',
 *   metrics: { 'conn.resp': { type: 'histogram' }, 'bytes.out': { type: 'count', intervals: ['days'] }, 'peers': { type: 'hll' } },
 *   intervals: { days: { step: '1m', steps: 2880 }, months: { step: '30m', steps: 4032 } }, // the default
 * });
 * await store.bulkInsert(samples, { fence: { scope: 'conn/3', token: lastOffset } });
 * const s = await store.series({ metric: 'bytes.out', entity: '10.0.0.1', interval: 'days', last: 60, transform: 'rate' });
 * const busiest = await store.top({ metric: 'bytes.out', interval: 'days', last: 60, limit: 20 });
 * ```
 *
 * **Model.** A series is (metric, entity); the entity is an IPv4 or IPv6 address stored in
 * canonical form (see {@link canonicalIp}), so `::ffff:10.0.0.1` and `10.0.0.1` are one host.
 * Types: `count` (sum of non-negative whole numbers), `gauge` (last value written), `series`
 * (all raw numbers), `histogram` (value -> occurrences; a sample with a `weight` adds that many,
 * e.g. bytes per peer), `set` (distinct members), `hll`
 * (approximate distinct count). Each metric is kept in named intervals `{step, steps,
 * resolution?}`; a bucket is `resolution` (default `step`) seconds wide and starts at
 * `floor(ts / resolution) * resolution`, UTC. Timestamps are unix seconds.
 *
 * **Retention** counts from the newest data ever written to the store (see {@link Store.newest}),
 * not from the wall clock: an interval keeps the `steps` steps ending with the step that holds
 * the newest data, so a replayed 2018 capture shows 2018. Reads never show anything older (bucket
 * precision), and samples already older than that are not written (reported as `dropped`). The
 * writer deletes expired chunks as it goes — those of the shards a batch touches and one more
 * shard per batch in turn, at most `trimBudget` keys per shard and write; {@link Store.trim}
 * does every shard at once. There are no wall-clock TTLs. Samples more than `maxFutureSeconds`
 * ahead of the wall clock are rejected, because one would expire everything.
 *
 * **Writes.** `bulkInsert` checks every sample first (unknown metric, malformed IP, NaN, Infinity,
 * negative or fractional count or histogram weight, a weight on another type, a value of the
 * wrong type: {@link InvalidSampleError}, nothing
 * written), then pre-aggregates: all samples of one metric, entity and bucket become one field
 * update, and each shard's part of the batch, with its indexes, is one Lua script (atomic), sent
 * as soon as it is built so Redis works while the next shard is aggregated. Keep batches to some
 * tens of thousands of samples: a shard's script blocks Redis while it runs. A stored count that
 * would pass 2^53 stops that shard's script before it writes (`StoreError` code `OVERFLOW`).
 * For producers of many samples (the ingest), `store.aggregate()` returns a {@link BatchAggregate}
 * to `add(metric, entity, ts, value, weight?)` to, one observation at a time (each checked like a sample,
 * no object kept per sample), and `store.writeAggregate(aggregate, {fence: {scope, from, token}})`
 * writes it: the same Redis contents as `bulkInsert` of the same samples, for a fraction of the
 * JavaScript work.
 *
 * **Fencing** (effectively-once). With `{fence: {scope, token}}`, each shard stores the last token
 * of the scope it applied, and checks and writes in the same script: a replayed batch (same or
 * lower token) adds nothing, even if a crash had interrupted it after some shards. A sample may
 * carry its own `token` (for example its Kafka offset); then replays are exact even when the
 * batches are cut differently the second time. Batches of one scope must be written one after
 * another, with rising tokens. {@link Store.fenceToken} returns the token of the last batch applied
 * completely: resume consuming after it. Two writers of one scope at once get a retriable
 * {@link FenceConflictError} after a few compare-and-set retries. An aggregate's fence names the
 * range of tokens it holds (`from`..`token`): a shard that already holds part of that range is
 * left alone and the result says `complete: false`; write the batch again through `bulkInsert`
 * with per-sample tokens, which takes exactly the missing part. The store remembers the highest
 * token it saw in each shard of a scope; a shard found lower later means Redis lost writes it had
 * acknowledged (restarted from an append-only file missing its last second, or a lagging replica
 * took over), and the write throws a retriable {@link StoreBehindError} without writing anything:
 * read `fenceToken` and write again from the token after it.
 *
 * **Reads.** `get` (one bucket), `series` (a range by `from`/`to`, both inclusive by bucket, or by
 * `last` N steps ending with the step of `to`, default the newest data; empty buckets filled;
 * `condense` into coarser buckets, `collapse` into one value; `transform`: sum, mean, min, max,
 * count, rate, p50, p90, p99 — see {@link Transform}), `properties` (first and last bucket per
 * interval), `entities` / `countEntities` (most recently active first, paginated), `top`
 * (entities ranked by their total over any bucket range, exact; kept for count metrics, and for
 * histogram or series metrics created with `top: true`), `groupTotals` (many entities' totals
 * of an additive metric per group of buckets, e.g. the sparklines of a ranking, one call per
 * shard), `delete`. Listing and ranking read
 * indexes the writer keeps; no request uses KEYS or SCAN. `top` over several chunks has Redis
 * sum their indexes once and keeps the sum for `topCacheSeconds` (default 300; 0: keep nothing)
 * for later rankings over the same chunks; every write, trim or delete that changes one of those
 * chunks deletes it in the same script, so answers stay exact (the chunk holding the newest data
 * is never part of a kept sum).
 *
 * **Answer versions** (for caches in front of the store). `seriesVersion(q)` returns, in one round
 * trip, an opaque text naming what `series(q)` would read: the range, its retained part and the
 * entity's write generation, which every write, `delete` and `deleteMetric` step touching the
 * entity's data changes (once per batch and shard, not per sample). Equal versions of one request
 * mean equal answers. `versionedSeries(q)` reads `series(q)` and the version it read (never newer
 * than the data); keep its answer while `seriesVersion(q)` still returns that version.
 *
 * **Layout and Redis Cluster.** Series are spread over `shards` hash tags by a hash of the IP;
 * all keys of a shard share a slot, so the same code runs on one Redis and on Redis Cluster.
 * An IP's count, gauge and series values (and hll bucket marks) of one interval chunk (default
 * 1 hour of `days`, 1 day of `months`) are fields of one hash with integer field names; histograms
 * and sets have a hash per metric and chunk; hll a HyperLogLog per bucket. See keyScheme.ts, and
 * docs/BENCHMARKS.md for bytes per bucket. It works on Redis's default encodings and is more
 * compact with ipscope's (`IPSCOPE_REDIS_CONFIG` in packages/testkit). `prefix`, `shards`,
 * interval definitions and `chunk` are part of the layout: changing them hides existing data.
 *
 * **Errors.** Every deliberate error is a {@link StoreError} with `code` and `retriable`:
 * {@link ConfigError} (bad options, at creation), {@link InvalidSampleError},
 * {@link InvalidQueryError}, {@link FenceConflictError} (retriable), {@link BackendError}
 * (Redis failed; retriable — with a fence, retrying the same batch is safe).
 */
export class Store {
  /** The checked options, defaults filled. */
  readonly config: ResolvedConfig;
  private readonly ctx: StoreContext;
  private readonly entityKeys = new EntityKeys();

  constructor(client: RedisClient, options: StoreOptions) {
    this.config = resolveOptions(options);
    this.ctx = { client, config: this.config, keys: new KeyScheme(this.config.prefix, this.config.shards), trimCursor: 0 };
  }

  /** Writes one sample; see {@link Store.bulkInsert}. */
  insert(sample: Sample, options: WriteOptions = {}): Promise<WriteResult> {
    return writeBatch(this.ctx, [sample], options, this.entityKeys);
  }

  /** Writes a batch, pre-aggregated and pipelined, optionally fenced. */
  bulkInsert(samples: readonly Sample[], options: WriteOptions = {}): Promise<WriteResult> {
    return writeBatch(this.ctx, samples, options, this.entityKeys);
  }

  /**
   * A new, empty batch aggregate: add observations to it one by one (each checked like a
   * sample, none kept as an object) and write it with {@link Store.writeAggregate}. The fast path
   * for producers of many samples per batch, such as the ingest.
   */
  aggregate(): BatchAggregate {
    return new BatchAggregate(this.config, this.ctx.keys, this.entityKeys);
  }

  /**
   * Writes an aggregate made by {@link Store.aggregate}: the same Redis contents as `bulkInsert`
   * of the same samples, in one atomic script per shard. With a fence `{scope, token, from}` the
   * batch holds the tokens `from`..`token` (e.g. a partition's offsets) and applies effectively
   * once; when a shard already holds part of that range the result says `complete: false` and
   * the batch must be written again with per-sample tokens through `bulkInsert`.
   */
  writeAggregate(aggregate: BatchAggregate, options: AggregateWriteOptions = {}): Promise<AggregateWriteResult> {
    return writeAggregate(this.ctx, aggregate, options);
  }

  /** Token of the last batch of `scope` applied completely, or null if none. */
  fenceToken(scope: string): Promise<number | null> {
    return readFenceToken(this.ctx, scope);
  }

  /**
   * Deletes expired data in every shard now (at most `trimBudget` keys per shard and call) and
   * returns the number of keys deleted. Writes trim as they go, the shards they touch and one
   * more per batch in turn; call this from a maintenance task when writes stop for long.
   */
  async trim(): Promise<number> {
    const newest = await readNewest(this.ctx);
    const counts = await Promise.all(Array.from({ length: this.config.shards }, (_, s) => trimShard(this.ctx, s, newest)));
    return counts.reduce((a, c) => a + c, 0);
  }

  /**
   * Registers the configured metrics and checks the stored layout now instead of on the first
   * read or write: throws {@link StoredLayoutError} when the prefix holds keys of another layout.
   * Call it at start-up to fail fast.
   */
  async open(): Promise<void> {
    await metricIds(this.ctx);
  }

  /** The newest data time in the store (whole unix seconds), from which retention counts; null when empty. */
  newest(): Promise<number | null> {
    return readNewest(this.ctx);
  }

  /** The bucket of `interval` holding `ts` (empty value when nothing is stored there). */
  async get(q: GetQuery): Promise<Point<BucketValue | number | null>> {
    const ts = q?.ts;
    const r = await readSeries(this.ctx, { metric: q?.metric, entity: q?.entity, interval: q?.interval, transform: q?.transform, from: ts, to: ts } as SeriesQuery);
    return r.points[0] as Point<BucketValue | number | null>;
  }

  /** Buckets of a series over a range, empty ones filled; optionally condensed, collapsed, transformed. */
  series(q: SeriesQuery): Promise<SeriesResult> {
    return readSeries(this.ctx, q);
  }

  /**
   * {@link Store.series} and the version of the data it read (see "Answer versions" above): an
   * answer kept by a cache stays right while {@link Store.seriesVersion} returns that version.
   */
  versionedSeries(q: SeriesQuery): Promise<{ result: SeriesResult; version: string }> {
    return readVersionedSeries(this.ctx, q);
  }

  /**
   * The version of `series(q)`'s answer now, in one round trip (no data read): equal to the
   * version {@link Store.versionedSeries} returned only if that answer is still the answer.
   */
  seriesVersion(q: SeriesQuery): Promise<string> {
    return seriesVersion(this.ctx, q);
  }

  /** Entities ranked by their total of an additive metric over a range (value desc, ties by address key). */
  top(q: TopQuery): Promise<TopEntry[]> {
    return readTop(this.ctx, q);
  }

  /**
   * Totals of an additive metric per group of buckets (`group` seconds, aligned to multiples of
   * it) over a range, for many entities in one call per shard: sparklines of a ranking. Totals
   * are those `top` ranks by (count: sum; histogram, series: samples).
   */
  groupTotals(q: GroupTotalsQuery): Promise<GroupTotals> {
    return readGroupTotals(this.ctx, q);
  }

  /** Entities with retained data (of `metric`, or of any metric), most recently active first. */
  entities(q: EntitiesQuery = {}): Promise<string[]> {
    return listEntities(this.ctx, q);
  }

  /** How many entities {@link Store.entities} lists in total. */
  countEntities(q: Pick<EntitiesQuery, 'metric'> = {}): Promise<number> {
    return countEntities(this.ctx, q);
  }

  /** First and last retained bucket start per interval of the metric; null where empty. */
  properties(q: PropertiesQuery): Promise<Record<string, BucketSpan | null>> {
    return readProperties(this.ctx, q);
  }

  /** Deletes one series (`metric` and `entity`) or all series of an entity; returns keys removed. */
  delete(q: DeleteQuery): Promise<number> {
    return deleteSeries(this.ctx, q);
  }

  /**
   * Deletes one metric's buckets over a range (default: all) for every entity, in bounded steps
   * shard by shard, leaving every other metric untouched; see {@link deleteMetric}.
   */
  deleteMetric(q: DeleteMetricQuery): Promise<DeleteMetricResult> {
    return deleteMetric(this.ctx, q);
  }
}

/** Creates a {@link Store} on an ioredis `Redis` or `Cluster`; checks the options (throws {@link ConfigError}). */
export function createStore(client: RedisClient, options: StoreOptions): Store {
  return new Store(client, options);
}
