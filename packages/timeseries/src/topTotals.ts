import { chunkOf, cutoffIndex } from './bucket';
import { backend, readNewest, type StoreContext } from './context';
import { InvalidQueryError } from './errors';
import { lookupEntity, lookupInterval, lookupMetric } from './lookup';
import { metricIds } from './metricIds';
import { checkRange } from './range';
import { topTotalsScript } from './topTotalsScript';

/** A `topTotals` request: totals of a few entities per group of whole chunks. */
export interface TopTotalsQuery {
  /** A metric with a top index (see `Store.top`). */
  metric: string;
  interval: string;
  /** IP addresses, any valid spelling; 1..10 000. */
  entities: readonly string[];
  /** Range start and end (unix seconds; the buckets holding them are the first and last). */
  from: number;
  to: number;
  /**
   * Seconds per group: a whole multiple of the interval's chunk span (resolution × chunk size),
   * so each chunk falls in exactly one group. Groups start at multiples of it.
   */
  every: number;
}

/** What `topTotals` returns: per requested entity (same order), one total per group, oldest first. */
export interface TopTotals {
  /** Start of the first group (a multiple of `every`). */
  first: number;
  every: number;
  lines: number[][];
}

const ENTITIES_PER_CALL = 1000;

/**
 * Totals of a metric with a top index, for a few entities, per group of whole chunks over a
 * range (e.g. the sparklines of a ranking), read from the top indexes: one ZMSCORE per chunk and
 * shard for all the shard's entities, plus the buckets of the range's partly covered edge chunks
 * (of entities with data there) — one script per shard, all shards at once, instead of a series
 * read per entity. Exact: a chunk's index score is the entity's total in the chunk; the range
 * is clipped to retained data as `top` clips it. Groups without data are 0.
 */
export async function readTopTotals(ctx: StoreContext, q: TopTotalsQuery): Promise<TopTotals> {
  if (typeof q !== 'object' || q === null) throw new InvalidQueryError('query', 'must be an object {metric, interval, entities, from, to, every}');
  const metric = lookupMetric(ctx.config, q.metric);
  const interval = lookupInterval(metric, q.interval);
  if (!metric.top) throw new InvalidQueryError('metric', `${JSON.stringify(metric.name)} keeps no top index, so it has no totals per chunk`);
  if (q.from === undefined || q.to === undefined) throw new InvalidQueryError(q.from === undefined ? 'from' : 'to', 'is required (unix seconds)');
  checkRange(q);
  const span = interval.chunk * interval.resolution;
  if (typeof q.every !== 'number' || !Number.isSafeInteger(q.every) || q.every <= 0 || q.every % span !== 0) {
    throw new InvalidQueryError('every', `must be a whole multiple of the ${interval.name} interval's chunk span (${span} s), got ${String(q.every)}`);
  }
  if (!Array.isArray(q.entities) || q.entities.length === 0 || q.entities.length > 10_000) {
    throw new InvalidQueryError('entities', 'must be an array of 1 to 10 000 IP addresses');
  }
  const keys = q.entities.map((e) => lookupEntity(e));
  const every = q.every;
  const first = Math.floor(q.from / every) * every;
  const groups = Math.floor(q.to / every) - first / every + 1;
  const lines = keys.map(() => new Array<number>(groups).fill(0));
  const newest = await readNewest(ctx);
  if (newest === null) return { first, every, lines };
  const lo = Math.max(Math.floor(q.from / interval.resolution), cutoffIndex(interval, newest));
  const hi = Math.min(Math.floor(q.to / interval.resolution), Math.floor(newest / interval.resolution));
  if (lo > hi) return { first, every, lines };

  const id = (await metricIds(ctx)).get(metric.name) as number;
  const firstChunk = chunkOf(lo, interval);
  const lastChunk = chunkOf(hi, interval);
  const edges: number[] = [];
  for (let c = firstChunk; c <= lastChunk; c++) {
    const c0 = c * interval.chunk;
    const c1 = c0 + interval.chunk - 1;
    if (lo > c0 || hi < c1) edges.push(c, Math.max(lo, c0) - c0, Math.min(hi, c1) - c0);
  }
  const byShard = new Map<number, number[]>();
  keys.forEach((ek, i) => {
    const s = ctx.keys.shardOf(ek);
    let list = byShard.get(s);
    if (!list) byShard.set(s, (list = []));
    list.push(i);
  });
  const calls: Promise<void>[] = [];
  for (const [shard, members] of byShard) {
    const prefix = ctx.keys.topIndexPrefix(shard, metric.name, interval.name);
    const dataPrefix = metric.type === 'histogram' ? `${ctx.keys.tag(shard)}${metric.kind}:${metric.name}:` : `${ctx.keys.tag(shard)}v:`;
    for (let j = 0; j < members.length; j += ENTITIES_PER_CALL) {
      const part = members.slice(j, j + ENTITIES_PER_CALL);
      const args: (string | number)[] = [metric.kind, dataPrefix, `:${interval.name}:`, id * interval.chunk, interval.chunk, prefix, firstChunk, lastChunk, edges.length / 3, ...edges];
      for (const i of part) args.push(keys[i] as string);
      calls.push(
        backend(`reading ${metric.name} totals`, () => topTotalsScript.run(ctx.client, [`${prefix}${firstChunk}`], args)).then((reply) => {
          const values = reply as string[];
          for (let c = firstChunk; c <= lastChunk; c++) {
            const g = Math.floor((c * span) / every) - first / every;
            const row = (c - firstChunk) * part.length;
            part.forEach((i, k) => {
              const line = lines[i] as number[];
              line[g] = (line[g] as number) + Number(values[row + k]);
            });
          }
        }),
      );
    }
  }
  await Promise.all(calls);
  return { first, every, lines };
}
