import { chunkOf } from './bucket';
import { backend, execPipeline, type StoreContext } from './context';
import { deleteMetricScript } from './deleteMetricScript';
import { InvalidQueryError } from './errors';
import { lookupCount, lookupInterval, lookupMetric } from './lookup';
import { metricIds } from './metricIds';
import type { ResolvedInterval, ResolvedMetric } from './options';

/** Where a {@link deleteMetric} run stands; passed to `onProgress` after every step. */
export interface DeleteMetricProgress {
  /** Shards finished, of {@link DeleteMetricProgress.shards}. */
  shardsDone: number;
  shards: number;
  /** Chunks (of all intervals) whose roster has been worked through. */
  chunks: number;
  /** Entity-chunk pairs visited. */
  entities: number;
  /** Fields and keys removed so far. */
  removed: number;
}

/** What {@link deleteMetric} did. */
export type DeleteMetricResult = Omit<DeleteMetricProgress, 'shardsDone'>;

/** A `deleteMetric` request: one metric's buckets over a range, for every entity. */
export interface DeleteMetricQuery {
  metric: string;
  /** Only this interval of the metric. Default: every interval of it. */
  interval?: string;
  /** First bucket: the one holding `from` (unix seconds). Default: the oldest stored. */
  from?: number;
  /** Last bucket: the one holding `to` (unix seconds, inclusive). Default: the newest stored. */
  to?: number;
  /** Entity-chunk pairs per step (one Lua script, which blocks its Redis while it runs). 1..10 000, default 200. */
  stepEntities?: number;
  /**
   * Called after every step. An error it throws stops the run once the steps in flight end (what
   * is deleted stays deleted) and is rethrown.
   */
  onProgress?: (progress: DeleteMetricProgress) => void;
}

const SSCAN_COUNT = 1000;
const SHARD_CONCURRENCY = 4;

function checkTime(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidQueryError(field, `must be unix seconds (a finite number), got ${String(value)}`);
  return value;
}

/** The deleted bucket indexes of one interval, and the chunks they fall in. */
interface IntervalRange {
  interval: ResolvedInterval;
  fromIdx: number;
  toIdx: number;
  fromChunk: number;
  toChunk: number;
}

function rangeOf(interval: ResolvedInterval, from: number | undefined, to: number | undefined): IntervalRange {
  const fromIdx = from === undefined ? -Infinity : Math.floor(from / interval.resolution);
  const toIdx = to === undefined ? Infinity : Math.floor(to / interval.resolution);
  return {
    interval,
    fromIdx,
    toIdx,
    fromChunk: from === undefined ? -Infinity : chunkOf(fromIdx, interval),
    toChunk: to === undefined ? Infinity : chunkOf(toIdx, interval),
  };
}

/**
 * Deletes one metric's buckets over a range for every entity, leaving every other metric as it
 * was: the metric's fields of the shared per-entity values hashes (fields, not keys), its own
 * histogram, set and hll keys, its top index entries (whole chunks go; edge chunks are reduced by
 * what was removed) and, when all its intervals are deleted, the entity index entries of entities
 * whose newest data of the metric was in the range: moved to the newest bucket left before the
 * range (found by walking the entity's chunks back, at most the retained ones) or removed when
 * none is left, with their all-metrics expiry recomputed.
 *
 * Entities are found through the chunk rosters (`r:<interval>:<chunk>` and `r6:...`, read with SSCAN) of the
 * chunks the shard's trim directory lists in the range — never KEYS or a keyspace SCAN. Work goes
 * shard by shard (four at a time) in steps of at most `stepEntities` entity-chunk pairs, one Lua script each, so
 * Redis is never blocked long; a run that stops half way has deleted a prefix and can simply be
 * run again (deleting is idempotent). Writes of the metric into the range while it runs may
 * survive; stop them first (ipscope's rebuild cuts live writes off at the range's end).
 */
export async function deleteMetric(ctx: StoreContext, q: DeleteMetricQuery): Promise<DeleteMetricResult> {
  if (typeof q !== 'object' || q === null) throw new InvalidQueryError('query', 'must be an object {metric, interval?, from?, to?}');
  const metric = lookupMetric(ctx.config, q.metric);
  const intervals = q.interval === undefined ? metric.intervals : [lookupInterval(metric, q.interval)];
  const from = checkTime(q.from, 'from');
  const to = checkTime(q.to, 'to');
  if (from !== undefined && to !== undefined && from > to) throw new InvalidQueryError('from', `must not be after to (from ${from}, to ${to})`);
  const stepEntities = lookupCount(q.stepEntities, 'stepEntities', 200, 1, 10_000);
  if (q.onProgress !== undefined && typeof q.onProgress !== 'function') throw new InvalidQueryError('onProgress', 'must be a function');

  const ranges = intervals.map((i) => rangeOf(i, from, to));
  // The entity index says when an entity was last seen in any interval; only a delete of every
  // interval can tell that nothing of the metric is left at that time.
  const adjust = intervals.length === metric.intervals.length;
  const spanFrom = from === undefined ? '' : String(Math.max(...ranges.map((r) => r.fromIdx * r.interval.resolution)));
  const spanTo = to === undefined ? '' : String(Math.min(...ranges.map((r) => (r.toIdx + 1) * r.interval.resolution - 1)));
  const id = (await metricIds(ctx)).get(metric.name) as number;
  const searched: (string | number)[] = [from === undefined ? 0 : ranges.length];
  if (from !== undefined) for (const r of ranges) searched.push(r.interval.name, r.interval.chunk, r.interval.resolution, r.fromIdx);
  const expiry: (string | number)[] = [ctx.config.metrics.size];
  for (const m of ctx.config.metrics.values()) {
    expiry.push(m.name, m.intervals.length);
    for (const i of m.intervals) expiry.push(i.step, i.steps);
  }

  const progress: DeleteMetricProgress = { shardsDone: 0, shards: ctx.config.shards, chunks: 0, entities: 0, removed: 0 };
  // A few shards at a time: their round trips overlap (and run on different masters of a
  // Cluster); each step still blocks its Redis only for one bounded script.
  let next = 0;
  let failure: { error: unknown } | undefined;
  const stopped = (): boolean => failure !== undefined;
  const worker = async (): Promise<void> => {
    try {
      while (next < ctx.config.shards && !stopped()) await deleteShard(next++);
    } catch (error) {
      failure ??= { error };
    }
  };
  const deleteShard = async (shard: number): Promise<void> => {
    for (const range of ranges) {
      const head = [
        ctx.keys.tag(shard),
        metric.name,
        metric.kind,
        id,
        range.interval.chunk,
        metric.top ? 1 : 0,
        range.interval.name,
        adjust ? 1 : 0,
        spanFrom,
        spanTo,
        metric.seenUnit,
        ...searched,
        ...expiry,
      ];
      await deleteInShard(ctx, shard, metric, range, head, stepEntities, progress, q.onProgress, stopped);
    }
    progress.shardsDone++;
    q.onProgress?.({ ...progress });
  };
  await Promise.all(Array.from({ length: Math.min(SHARD_CONCURRENCY, ctx.config.shards) }, worker));
  if (failure !== undefined) throw failure.error;
  return { shards: progress.shards, chunks: progress.chunks, entities: progress.entities, removed: progress.removed };
}

async function deleteInShard(
  ctx: StoreContext,
  shard: number,
  metric: ResolvedMetric,
  range: IntervalRange,
  head: (string | number)[],
  stepEntities: number,
  progress: DeleteMetricProgress,
  onProgress: ((p: DeleteMetricProgress) => void) | undefined,
  stopped: () => boolean,
): Promise<void> {
  const { interval } = range;
  const lowest = Number.isFinite(range.fromChunk) ? String(range.fromChunk) : '-inf';
  const highest = Number.isFinite(range.toChunk) ? String(range.toChunk) : '+inf';
  const chunks = await backend(`listing the chunks of ${metric.name}`, () =>
    ctx.client.zrangebyscore(ctx.keys.directory(shard, interval.name), lowest, highest),
  );
  let groups: (string | number)[] = [];
  let groupCount = 0;
  let pending = 0;
  const flush = async (): Promise<void> => {
    if (groupCount === 0 || stopped()) return;
    const args = [...head, groupCount, ...groups];
    const reply = (await backend(`deleting metric ${metric.name}`, () => deleteMetricScript.run(ctx.client, [ctx.keys.allEntities(shard)], args))) as [number, number];
    progress.removed += Number(reply[0]);
    progress.entities += Number(reply[1]);
    groups = [];
    groupCount = 0;
    pending = 0;
    onProgress?.({ ...progress });
  };

  for (const chunkText of chunks) {
    if (stopped()) return;
    const chunk = Number(chunkText);
    const base = chunk * interval.chunk;
    const lo = Math.max(range.fromIdx, base) - base;
    const hi = Math.min(range.toIdx, base + interval.chunk - 1) - base;
    if (lo > hi) continue;
    const whole = lo === 0 && hi === interval.chunk - 1;
    let members: string[] = [];
    const addGroup = (list: string[], last: boolean): void => {
      groups.push(chunk, lo, hi, whole ? 1 : 0, last ? 1 : 0, list.length, ...list);
      groupCount++;
      pending += list.length + 1;
    };
    // the chunk's IPv4 roster, then its IPv6 roster; the first page of both in one round trip
    const rosters = [ctx.keys.roster(shard, interval.name, chunk), ctx.keys.roster6(shard, interval.name, chunk)];
    const firstPages = ctx.client.pipeline();
    for (const roster of rosters) firstPages.sscan(roster, '0', 'COUNT', SSCAN_COUNT);
    const pages = (await execPipeline(firstPages, 'reading a chunk roster')) as [string, string[]][];
    for (let q = 0; q < rosters.length; q++) {
      const roster = rosters[q] as string;
      let [cursor, batch] = pages[q] as [string, string[]];
      for (;;) {
        members.push(...batch);
        while (members.length >= stepEntities - pending) {
          const take = stepEntities - pending;
          addGroup(members.slice(0, take), false);
          members = members.slice(take);
          await flush();
        }
        if (cursor === '0') break;
        const from = cursor;
        [cursor, batch] = await backend('reading a chunk roster', () => ctx.client.sscan(roster, from, 'COUNT', SSCAN_COUNT));
      }
    }
    // the chunk's last group: it also unlinks the top index of a whole chunk
    addGroup(members, true);
    if (pending >= stepEntities) await flush();
    progress.chunks++;
  }
  await flush();
}
