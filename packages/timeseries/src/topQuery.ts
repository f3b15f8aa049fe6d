import { randomBytes } from 'node:crypto';
import { chunkOf, cutoffIndex } from './bucket';
import { ipFromKey } from './canonicalIp';
import { backend, readNewest, type StoreContext } from './context';
import { InvalidQueryError } from './errors';
import { lookupCount, lookupInterval, lookupMetric } from './lookup';
import type { ResolvedInterval, ResolvedMetric } from './options';
import { resolveRange, type RangeQuery } from './range';
import { topScript } from './topScript';
import { metricIds } from './metricIds';

/** A `top` request: entities ranked by their total of `metric` over a range. */
export interface TopQuery extends RangeQuery {
  metric: string;
  interval: string;
  /** Entries to return, 1..10 000. Default 10. */
  limit?: number;
  /** Entries to skip first, 0..100 000. Default 0. */
  offset?: number;
}

/** One ranked entity. */
export interface TopEntry {
  /** Canonical text of the IP. */
  entity: string;
  /** count: sum of values; histogram and series: number of samples, over the range. */
  value: number;
}

/** Lower key form first: ties in value are ordered by the address's key form (hex text). */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface ShardState {
  shard: number;
  depth: number;
  batch: number;
  bound: number;
  done: boolean;
  /** `auto` until the first round answers `walk` or `rounds`. */
  mode: string;
  scratch: string;
}

/**
 * Exact top-N over any bucket range (see `Store.top`).
 *
 * Each chunk of an interval has, per shard, a sorted set entity -> total of the chunk, kept by the
 * writer in the same atomic script as the data. A range is the chunks it covers completely plus
 * at most two partly covered edge chunks. Unless the range is one whole chunk (read in index
 * order) or the indexes hold more than `topScanLimit` entries, each shard runs one script: Redis
 * sums the indexes (ZUNIONSTORE) into exact totals of the whole chunks and upper bounds of the
 * range totals, and only the entities whose bound can still reach the top get their edge buckets
 * read. Otherwise, instead of a union over every entity, the shards run Fagin's threshold
 * algorithm: read every chunk's sorted
 * set from the top in growing windows, compute the exact range total of each entity met (edge
 * chunks from the entity's own buckets), and stop a shard once `offset + limit` entities already
 * known beat the sum of the lowest scores read, which no unseen entity can exceed. Entities live
 * in exactly one shard, so merging the shards' candidates is exact.
 */
export async function readTop(ctx: StoreContext, q: TopQuery): Promise<TopEntry[]> {
  if (typeof q !== 'object' || q === null) throw new InvalidQueryError('query', 'must be an object {metric, interval, ...}');
  const metric = lookupMetric(ctx.config, q.metric);
  const interval = lookupInterval(metric, q.interval);
  if (!metric.top) {
    throw new InvalidQueryError(
      'metric',
      metric.additive
        ? `${JSON.stringify(metric.name)} keeps no top index; create the store with {top: true} for it`
        : `${JSON.stringify(metric.name)} is a ${metric.type}; top ranks count, histogram and series metrics, whose totals add up over time`,
    );
  }
  const limit = lookupCount(q.limit, 'limit', 10, 1, 10_000);
  const offset = lookupCount(q.offset, 'offset', 0, 0, 100_000);
  const newest = await readNewest(ctx);
  const range = resolveRange(interval, q, newest);
  if (range === null || newest === null) return [];
  const first = Math.max(range.first, cutoffIndex(interval, newest));
  const last = Math.min(range.last, Math.floor(newest / interval.resolution));
  if (first > last) return [];

  const id = (await metricIds(ctx)).get(metric.name) as number;
  const newestIndex = Math.floor(newest / interval.resolution);
  const lastChunkStart = chunkOf(last, interval) * interval.chunk;
  // A range that ends with the newest bucket holds everything its last chunk stores from the
  // range's start on: nothing is written past the newest data. So that chunk's index totals are
  // already exact and the chunk counts as full (no edge reads). The writer raises the newest time
  // before it writes the data (batchWriter.ts applyShards), so if the newest time is still in the
  // same bucket after ranking, no shard had data past `last` when it was read; otherwise the
  // ranking is redone with that chunk as an edge.
  const openEnd = last === newestIndex && lastChunkStart >= first && lastChunkStart + interval.chunk - 1 > last;
  if (openEnd) {
    const ranked = await rankRange(ctx, metric, interval, id, first, last, offset + limit, true);
    const after = await readNewest(ctx);
    if (after !== null && Math.floor(after / interval.resolution) === newestIndex) return page(ranked, offset, limit);
  }
  return page(await rankRange(ctx, metric, interval, id, first, last, offset + limit, false), offset, limit);
}

function page(ranked: readonly [string, number][], offset: number, limit: number): TopEntry[] {
  return ranked.slice(offset, offset + limit).map(([ek, value]) => ({ entity: ipFromKey(ek), value }));
}

/**
 * Entities with a positive total over buckets [first, last], ranked (value desc, key asc), at
 * least the first `want` of them exact and in order. `lastChunkFull`: count the chunk holding
 * `last` as fully covered (see readTop).
 */
async function rankRange(
  ctx: StoreContext,
  metric: ResolvedMetric,
  interval: ResolvedInterval,
  id: number,
  first: number,
  last: number,
  want: number,
  lastChunkFull: boolean,
): Promise<[string, number][]> {
  const full: number[] = [];
  const edges: [number, number, number][] = [];
  const lastChunk = chunkOf(last, interval);
  for (let c = chunkOf(first, interval); c <= lastChunk; c++) {
    const c0 = c * interval.chunk;
    const c1 = c0 + interval.chunk - 1;
    if (first <= c0 && (c1 <= last || (lastChunkFull && c === lastChunk))) full.push(c);
    else edges.push([c, Math.max(first, c0) - c0, Math.min(last, c1) - c0]);
  }

  // Few index entries in the range: summing them all in one pass beats the threshold rounds.
  const scanLimit = ctx.config.topScanLimit ?? (full.length === 1 && edges.length === 0 ? 0 : 250_000);
  const totals = new Map<string, number>();
  const shards: ShardState[] = [];
  for (let s = 0; s < ctx.config.shards; s++) {
    const scratch = `${ctx.keys.tag(s)}tmp:top:${randomBytes(6).toString('hex')}`;
    shards.push({ shard: s, depth: 0, batch: Math.ceil((2 * want) / ctx.config.shards) + 4, bound: Infinity, done: false, mode: 'auto', scratch });
  }
  let ranked: [string, number][] = [];
  while (shards.some((s) => !s.done)) {
    await Promise.all(
      shards
        .filter((s) => !s.done)
        .map(async (s) => {
          const keys = [...full, ...edges.map((e) => e[0])].map((c) => ctx.keys.topIndex(s.shard, metric.name, interval.name, c));
          keys.push(s.scratch);
          const args: (string | number)[] = [
            full.length,
            s.depth,
            s.depth + s.batch - 1,
            metric.kind,
            metric.type === 'histogram' ? `${ctx.keys.tag(s.shard)}${metric.kind}:${metric.name}:` : `${ctx.keys.tag(s.shard)}v:`,
            `:${interval.name}:`,
            id * interval.chunk,
            scanLimit,
            want,
            s.mode,
          ];
          for (const [c, o0, o1] of edges) args.push(c, o0, o1);
          const reply = (await backend(`ranking ${metric.name}`, () => topScript.run(ctx.client, keys, args))) as string[] | number[];
          const more = Number(reply[0]);
          s.bound = more === 1 ? Number(reply[1]) : 0;
          s.mode = String(reply[2]);
          for (let i = 3; i < reply.length; i += 2) totals.set(String(reply[i]), Number(reply[i + 1]));
          if (more !== 1) s.done = true;
          s.depth += s.batch;
          s.batch *= 2;
        }),
    );
    ranked = [...totals].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1] || compareKeys(a[0], b[0]));
    for (const s of shards) {
      if (s.done) continue;
      if (s.bound <= 0) s.done = true;
      else if (ranked.length >= want && countAbove(ranked, s.bound) >= want) s.done = true;
    }
  }
  await Promise.all(shards.filter((s) => s.mode === 'walk').map((s) => backend('ranking', () => ctx.client.unlink(`${s.scratch}:b`))));
  return ranked;
}

/** How many ranked totals (sorted descending) are strictly above `bound`. */
function countAbove(ranked: readonly [string, number][], bound: number): number {
  let lo = 0;
  let hi = ranked.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ranked[mid] as [string, number])[1] > bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
