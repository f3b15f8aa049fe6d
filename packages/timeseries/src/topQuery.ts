import { randomBytes } from 'node:crypto';
import { chunkOf, cutoffIndex } from './bucket';
import { ipFromKey } from './canonicalIp';
import { backend, execPipeline, readNewest, type StoreContext } from './context';
import { InvalidQueryError, StoreError } from './errors';
import { lookupCount, lookupInterval, lookupMetric } from './lookup';
import type { ResolvedInterval, ResolvedMetric } from './options';
import { resolveRange, type RangeQuery } from './range';
import { edgeChunkCache, edgeChunkKey, outsideFromPrefix, prefixSums } from './edgeChunkCache';
import { edgeDumpScript } from './edgeDumpScript';
import { parseHashDump } from './hashDump';
import { outsideFromDump, outsideTotal, type EdgeCut, type ValuesFields } from './topEdgeDump';
import { runScriptCalls } from './shardScripts';
import { topScript } from './topScript';
import { topChunkStampsKey, topUnionKey } from './topUnion';
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
  /** The lists to rank from (chunk indexes or a union of several) and the scratch key last. */
  keys: string[];
  /** The union in keys[0] had entries in the first round, so it must still exist. */
  unionSeen: boolean;
  /** The edge chunks' stamps in the kept union, as the first round answered them. */
  stamps: string | undefined;
}

/** A union of several chunk indexes deleted by a write while a ranking read it: rank again. */
const GONE = Symbol('union gone');
const MAX_RANK_ATTEMPTS = 5;

/**
 * Exact top-N over any bucket range (see `Store.top`).
 *
 * Each chunk of an interval has, per shard, a sorted set entity -> total of the chunk, kept by the
 * writer in the same atomic script as the data. A range is the chunks it covers completely plus
 * at most two partly covered edge chunks. Per shard the ranking reads at most two lists: the sum
 * of the indexes of the range's chunks before the one holding the newest data (a union that
 * Redis builds once and keeps for `topCacheSeconds`, deleted by any change of those chunks, see
 * topUnion.ts; one chunk is read directly), and the newest chunk's index, written all the time
 * and so never part of a kept union. A list entry counts edge chunks whole: an upper bound.
 * The shards run Fagin's threshold algorithm on their lists: read every list from the top in
 * growing windows, compute the exact range total of each entity met (an edge chunk's whole
 * total replaced by the entity's buckets in range), and stop a shard once `offset + limit`
 * entities already known beat the sum of the lowest scores read, which no unseen entity can
 * exceed. Entities whose upper bound is below the current `offset + limit`-th total are not
 * computed. Entities live in exactly one shard, so merging the shards' candidates is exact.
 * Edge chunks are parsed once and kept in Node under their chunk stamps (topUnion.ts,
 * edgeChunkCache.ts): the next ranking cut there reads no dump of them.
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
  const span: RankSpan = { metric, interval, id, first, last, newestChunk: chunkOf(newestIndex, interval), want: offset + limit, lastChunkFull: false };
  // A range that ends with the newest bucket holds everything its last chunk stores from the
  // range's start on: nothing is written past the newest data. So that chunk's index totals are
  // already exact and the chunk counts as full (no edge reads). The writer raises the newest time
  // before it writes the data (batchWriter.ts applyShards), so if the newest time is still in the
  // same bucket after ranking, no shard had data past `last` when it was read; otherwise the
  // ranking is redone with that chunk as an edge.
  const openEnd = last === newestIndex && lastChunkStart >= first && lastChunkStart + interval.chunk - 1 > last;
  if (openEnd) {
    const ranked = await rankRange(ctx, { ...span, lastChunkFull: true });
    const after = await readNewest(ctx);
    if (after !== null && Math.floor(after / interval.resolution) === newestIndex) return page(ranked, offset, limit);
  }
  return page(await rankRange(ctx, span), offset, limit);
}

function page(ranked: readonly [string, number][], offset: number, limit: number): TopEntry[] {
  return ranked.slice(offset, offset + limit).map(([ek, value]) => ({ entity: ipFromKey(ek), value }));
}

/** What one ranking covers. */
interface RankSpan {
  metric: ResolvedMetric;
  interval: ResolvedInterval;
  id: number;
  /** Bucket indexes, inclusive. */
  first: number;
  last: number;
  /** Chunk holding the newest data: never part of a kept union. */
  newestChunk: number;
  /** Ranked entries needed exactly and in order. */
  want: number;
  /** Count the chunk holding `last` as fully covered (see readTop). */
  lastChunkFull: boolean;
}

/**
 * Entities with a positive total over buckets [first, last], ranked (value desc, key asc), at
 * least the first `want` of them exact and in order. Starts again when a union it reads is
 * deleted by a concurrent write (a few times at most).
 */
async function rankRange(ctx: StoreContext, span: RankSpan): Promise<[string, number][]> {
  for (let attempt = 1; ; attempt++) {
    const ranked = await rankOnce(ctx, span);
    if (ranked !== GONE) return ranked;
    if (attempt >= MAX_RANK_ATTEMPTS) {
      throw new StoreError('TOP_CONTENDED', `writes into ${span.metric.name}'s ranked chunks deleted the ranking's sums ${attempt} times in a row; retry`, true);
    }
  }
}

async function rankOnce(ctx: StoreContext, span: RankSpan): Promise<[string, number][] | typeof GONE> {
  const { metric, interval, first, last, want } = span;
  const edges: [number, number, number][] = [];
  const firstChunk = chunkOf(first, interval);
  const lastChunk = chunkOf(last, interval);
  for (let c = firstChunk; c <= lastChunk; c++) {
    const c0 = c * interval.chunk;
    const c1 = c0 + interval.chunk - 1;
    if (!(first <= c0 && (c1 <= last || (span.lastChunkFull && c === lastChunk)))) edges.push([c, Math.max(first, c0) - c0, Math.min(last, c1) - c0]);
  }
  // Chunks before the newest one: summed into one list (kept) when there are several.
  const closedLast = Math.min(lastChunk, span.newestChunk - 1);
  const union = closedLast > firstChunk;
  const cacheSeconds = ctx.config.topCacheSeconds;
  // Two chunk indexes (a range of at most two chunks): summing them per query and walking the sum
  // in order of upper bounds computes fewer exact totals than the threshold rounds on skewed data.
  // With a kept union the rounds avoid summing it with the newest chunk on every query.
  const scanLimit = ctx.config.topScanLimit ?? (union ? 0 : 250_000);

  const shards: ShardState[] = [];
  for (let s = 0; s < ctx.config.shards; s++) {
    const scratch = `${ctx.keys.tag(s)}tmp:top:${randomBytes(6).toString('hex')}`;
    const indexPrefix = ctx.keys.topIndexPrefix(s, metric.name, interval.name);
    const keys: string[] = [];
    if (union) keys.push(cacheSeconds > 0 ? topUnionKey(indexPrefix, firstChunk, closedLast) : `${scratch}:u`);
    else if (closedLast === firstChunk) keys.push(`${indexPrefix}${firstChunk}`);
    if (lastChunk === span.newestChunk) keys.push(`${indexPrefix}${lastChunk}`);
    keys.push(scratch);
    shards.push({ shard: s, depth: 0, batch: Math.ceil((2 * want) / ctx.config.shards) + 4, bound: Infinity, done: false, mode: 'auto', scratch, keys, unionSeen: false, stamps: undefined });
  }

  // Count and series edges come back as dumps of the values hashes, summed here (topScript.ts).
  const dumps = metric.kind === 'c' || metric.kind === 's';
  const cuts: EdgeCut[] = edges.map(([chunk, o0, o1]) => ({ chunk, o0, o1 }));
  const fields: ValuesFields = { kind: metric.kind, base: span.id * interval.chunk, size: interval.chunk };
  // Edge chunks are kept parsed in Node under their stamps, not dumped by the script.
  const keepable = cuts.map(() => dumps && cacheSeconds > 0);
  const cache = edgeChunkCache(ctx);
  const unread: Unread[] = [];
  const missing: Missing[] = [];
  const totals = new Map<string, number>();
  let ranked: [string, number][] = [];
  let gone = false;
  try {
    while (!gone && shards.some((s) => !s.done)) {
      const tau = ranked.length >= want ? (ranked[want - 1] as [string, number])[1] : 0;
      const active = shards.filter((s) => !s.done);
      const calls = active.map((s) => {
        const args: (string | number)[] = [
          s.depth,
          s.depth + s.batch - 1,
          metric.kind,
          metric.type === 'histogram' ? `${ctx.keys.tag(s.shard)}l:` : `${ctx.keys.tag(s.shard)}v:`,
          `:${interval.name}:`,
          span.id * interval.chunk,
          interval.chunk,
          tau,
          s.mode,
          scanLimit,
          ctx.keys.topIndexPrefix(s.shard, metric.name, interval.name),
          union ? firstChunk : -1,
          closedLast,
          cacheSeconds,
          s.unionSeen ? 1 : 0,
          edges.length,
        ];
        args.push(dumps ? 1 : 0, ctx.keys.generations(s.shard));
        edges.forEach(([c, o0, o1], q) => args.push(c, o0, o1, keepable[q] ? 0 : 1));
        return { keys: s.keys, args };
      });
      const replies = await backend(`ranking ${metric.name}`, () => runScriptCalls(ctx.client, topScript, calls));
      active.forEach((s, k) => {
        const reply = replies[k] as (Buffer | number)[];
        if (String(reply[0]) === 'gone') {
          gone = true;
          s.done = true;
          return;
        }
        const more = Number(reply[0]);
        s.bound = more === 1 ? Number(String(reply[1])) : 0;
        s.mode = String(reply[2]);
        if (Number(reply[3]) > 0) s.unionSeen = true;
        const stampText = String(reply[4]);
        if (s.stamps === undefined) s.stamps = stampText;
        else if (s.stamps !== stampText) {
          // the union was rebuilt between rounds: what this ranking read may not fit together
          gone = true;
          s.done = true;
          return;
        }
        const stamps = stampText === '' ? [] : stampText.split(',');
        const kept = cuts.map((cut, q) => (keepable[q] && (stamps[q] ?? '') !== '' ? cache.chunk(edgeChunkKey(s.shard, interval.name, fields, cut.chunk), stamps[q] as string) : undefined));
        if (!dumps) {
          for (let i = 5; i < reply.length; i += 2) totals.set(String(reply[i]), Number(String(reply[i + 1])));
        } else {
          const group = 2 + cuts.length;
          for (let i = 5; i < reply.length; i += group) {
            const ek = String(reply[i]);
            let total = Number(String(reply[i + 1]));
            for (let q = 0; q < cuts.length; q++) {
              const cut = cuts[q] as EdgeCut;
              const entities = kept[q];
              if (entities !== undefined) {
                const prefix = entities.get(ek);
                if (prefix !== undefined) total -= outsideFromPrefix(prefix, cut);
                else missing.push({ ek, shard: s.shard, q });
                continue;
              }
              const outside = outsideFromDump(reply[i + 2 + q] as Buffer, fields, cut);
              if (outside === null) unread.push({ ek, shard: s.shard, cut });
              else total -= outside;
            }
            totals.set(ek, total);
          }
        }
        if (more !== 1) s.done = true;
        s.depth += s.batch;
        s.batch *= 2;
      });
      if (!gone && missing.length > 0 && !(await subtractMissing(ctx, span, shards, cuts, fields, missing.splice(0), totals, unread))) gone = true;
      if (unread.length > 0) await subtractUnread(ctx, span, fields, unread.splice(0), totals);
      ranked = [...totals].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1] || compareKeys(a[0], b[0]));
      for (const s of shards) {
        if (s.done) continue;
        if (s.bound <= 0) s.done = true;
        else if (ranked.length >= want && countAbove(ranked, s.bound) >= want) s.done = true;
      }
    }
  } finally {
    const scratch = shards.flatMap((s) => [...(s.mode === 'walk' ? [`${s.scratch}:b`] : []), ...(union && cacheSeconds === 0 ? [`${s.scratch}:u`] : [])]);
    if (scratch.length > 0) await Promise.all(scratch.map((key) => backend('ranking', () => ctx.client.unlink(key))));
  }
  return gone ? GONE : ranked;
}

/** An edge chunk whose values hash came back in a form this code does not parse. */
interface Unread {
  ek: string;
  shard: number;
  cut: EdgeCut;
}

/** A candidate's edge chunk kept in a union but not in Node's cache yet. */
interface Missing {
  ek: string;
  shard: number;
  /** Which edge chunk. */
  q: number;
}

/**
 * Reads the edge chunks the cache lacked (one script per shard, all shards at once), keeps them,
 * and subtracts their buckets outside the range from the entities' bounds. The script reads the
 * dumps only while the chunks still carry the stamps the ranking saw (nothing changed them
 * since); false when they do not, and the ranking starts again. A hash that is not a
 * listpack goes to `unread` (read field by field, not kept).
 */
async function subtractMissing(
  ctx: StoreContext,
  span: RankSpan,
  shards: readonly ShardState[],
  cuts: readonly EdgeCut[],
  fields: ValuesFields,
  missing: readonly Missing[],
  totals: Map<string, number>,
  unread: Unread[],
): Promise<boolean> {
  const cache = edgeChunkCache(ctx);
  const byShard = new Map<number, Missing[]>();
  for (const m of missing) {
    let list = byShard.get(m.shard);
    if (!list) byShard.set(m.shard, (list = []));
    list.push(m);
  }
  const groups = [...byShard];
  const calls = groups.map(([shard, list]) => {
    const state = shards[shard] as ShardState;
    const stampText = state.stamps ?? '';
    const args: (string | number)[] = [`${ctx.keys.tag(shard)}v:`, `:${span.interval.name}:`, stampText, cuts.length];
    for (const cut of cuts) args.push(cut.chunk);
    for (const m of list) args.push(m.ek, (cuts[m.q] as EdgeCut).chunk);
    return { keys: [topChunkStampsKey(ctx.keys.topIndexPrefix(shard, span.metric.name, span.interval.name))], args };
  });
  const replies = await backend(`ranking ${span.metric.name}`, () => runScriptCalls(ctx.client, edgeDumpScript, calls));
  if (replies.some((reply) => String((reply as Buffer[])[0]) !== 'ok')) return false;
  groups.forEach(([shard, list], g) => {
    const reply = replies[g] as Buffer[];
    const stamps = ((shards[shard] as ShardState).stamps ?? '').split(',');
    // each edge chunk's entry in the cache, looked up once per shard, not per candidate
    const kept = cuts.map((cut, q) => (list.some((m) => m.q === q) ? cache.chunk(edgeChunkKey(shard, span.interval.name, fields, cut.chunk), stamps[q] as string) : undefined));
    list.forEach((m, k) => {
      const cut = cuts[m.q] as EdgeCut;
      const dump = reply[k + 1] as Buffer;
      if (dump.length === 0) return;
      const entries = parseHashDump(dump);
      if (entries === null) {
        unread.push({ ek: m.ek, shard, cut });
        return;
      }
      const prefix = prefixSums(entries, fields);
      cache.keep(kept[m.q] as Map<string, Float64Array>, m.ek, prefix);
      totals.set(m.ek, (totals.get(m.ek) as number) - outsideFromPrefix(prefix, cut));
    });
  });
  return true;
}

/**
 * Reads the values hashes whose dumps were not listpacks (rare: a hash grown into a hash table)
 * and subtracts their buckets outside the range from the entities' bounds. A write between the
 * ranking script and this read changes the result only as any write racing a read does.
 */
async function subtractUnread(ctx: StoreContext, span: RankSpan, fields: ValuesFields, unread: readonly Unread[], totals: Map<string, number>): Promise<void> {
  const pipeline = ctx.client.pipeline();
  for (const u of unread) pipeline.hgetall(ctx.keys.values(u.shard, u.ek, span.interval.name, u.cut.chunk));
  const replies = await execPipeline(pipeline, `ranking ${span.metric.name}`);
  unread.forEach((u, i) => {
    const entries = Object.entries(replies[i] as Record<string, string>).flat();
    totals.set(u.ek, (totals.get(u.ek) as number) - outsideTotal(entries, fields, u.cut));
  });
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
