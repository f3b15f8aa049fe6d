import { chunkOf, cutoffIndex } from './bucket';
import { backend, execPipeline, readNewest, type StoreContext } from './context';
import { BackendError, InvalidQueryError } from './errors';
import { groupTotalsScript } from './groupTotalsScript';
import { parseHashDump, type DumpEntry } from './hashDump';
import { lookupEntity, lookupInterval, lookupMetric } from './lookup';
import { metricIds } from './metricIds';
import { resolveRange, type RangeQuery } from './range';
import { bucketWeight, type ValuesFields } from './topEdgeDump';
import { chunkStampsScript } from './chunkStampsScript';
import { edgeChunkCache, edgeChunkKey, prefixSums } from './edgeChunkCache';
import { edgeDumpScript } from './edgeDumpScript';
import { runScriptCalls, type ScriptCall } from './shardScripts';
import { topChunkStampsKey } from './topUnion';
import { readSeries } from './seriesReader';

/** A `groupTotals` request: many entities' totals of one metric per group of buckets over a range. */
export interface GroupTotalsQuery extends RangeQuery {
  metric: string;
  interval: string;
  /** IP addresses, any valid spelling; 1..10 000. */
  entities: readonly string[];
  /** Seconds per group: a multiple of the interval's bucket width. Groups start at multiples of it (UTC). */
  group: number;
}

/** What `groupTotals` returns. */
export interface GroupTotals {
  /** Start of the first group (unix seconds); groups cover the range's buckets, oldest first. */
  from: number;
  /** Seconds per group. */
  step: number;
  /** Per requested entity, in request order: the total of each group (0 where nothing is stored). */
  totals: number[][];
}

const MAX_ENTITIES = 10_000;

/**
 * Totals of a count, histogram or series metric per group of buckets, for many entities at once
 * (see `Store.groupTotals`): what a table of sparklines needs. A count's total is the sum of its
 * values, a histogram's or series' the number of samples — the same totals `top` ranks by, so a
 * line adds up to the entity's `top` value over the same buckets.
 *
 * Count and series metrics: one script call per shard holding requested entities
 * (groupTotalsScript.ts), all shards at once, answers the `DUMP` of each entity's values hash per
 * chunk, which Node parses (hashDump.ts) and sums into groups; a hash that is not a listpack is
 * read with HGETALL. Chunks with a stamp (a kept union of `top` included them, and they have not
 * changed since: topUnion.ts) are summed from the parsed chunks kept in Node under it
 * (edgeChunkCache.ts), and the chunks read here are kept there too: a table of sparklines over
 * closed hours asked again for a range moved by a minute reads only what it lacks. Histograms are read per
 * entity with `series` (condensed, transform `count`). Buckets outside the retained window (not
 * trimmed yet) are not counted, as in `series` and `top`.
 */
export async function readGroupTotals(ctx: StoreContext, q: GroupTotalsQuery): Promise<GroupTotals> {
  if (typeof q !== 'object' || q === null) throw new InvalidQueryError('query', 'must be an object {metric, interval, entities, group, ...}');
  const metric = lookupMetric(ctx.config, q.metric);
  const interval = lookupInterval(metric, q.interval);
  if (!metric.additive) throw new InvalidQueryError('metric', `${JSON.stringify(metric.name)} is a ${metric.type}; group totals add up count, histogram and series metrics`);
  if (!Array.isArray(q.entities) || q.entities.length < 1 || q.entities.length > MAX_ENTITIES) {
    throw new InvalidQueryError('entities', `must be a list of 1 to ${MAX_ENTITIES} IP addresses, got ${Array.isArray(q.entities) ? `${q.entities.length} entries` : String(q.entities)}`);
  }
  const keys = q.entities.map((e) => lookupEntity(e));
  const res = interval.resolution;
  if (typeof q.group !== 'number' || !Number.isSafeInteger(q.group) || q.group < res || q.group % res !== 0) {
    throw new InvalidQueryError('group', `must be a whole multiple of interval ${interval.name}'s bucket width (${res}s), got ${String(q.group)}`);
  }
  const g = q.group / res;
  const newest = await readNewest(ctx);
  const range = resolveRange(interval, q, newest);
  if (range === null) return { from: 0, step: q.group, totals: keys.map(() => []) };
  const g0 = Math.floor(range.first / g);
  const n = Math.floor(range.last / g) - g0 + 1;
  if (n > ctx.config.maxPoints) {
    throw new InvalidQueryError('group', `makes ${n} groups of the range, more than maxPoints (${ctx.config.maxPoints}); use a wider group or a shorter range`);
  }
  const totals = keys.map(() => new Array<number>(n).fill(0));
  const out: GroupTotals = { from: g0 * q.group, step: q.group, totals };
  if (newest === null) return out;
  const first = Math.max(range.first, cutoffIndex(interval, newest));
  const last = Math.min(range.last, Math.floor(newest / res));
  if (first > last) return out;

  if (metric.type === 'histogram') {
    await Promise.all(
      q.entities.map(async (entity, i) => {
        const r = await readSeries(ctx, { metric: metric.name, entity, interval: interval.name, from: first * res, to: last * res, condense: q.group, transform: 'count' });
        const row = totals[i] as number[];
        for (const p of r.points) row[Math.floor(p.ts / q.group) - g0] = p.value as number;
      }),
    );
    return out;
  }

  const id = (await metricIds(ctx)).get(metric.name) as number;
  const base = id * interval.chunk;
  const size = interval.chunk;
  const c0 = chunkOf(first, interval);
  const c1 = chunkOf(last, interval);
  const byShard = new Map<number, number[]>();
  keys.forEach((key, i) => {
    const shard = ctx.keys.shardOf(key);
    let list = byShard.get(shard);
    if (!list) byShard.set(shard, (list = []));
    list.push(i);
  });
  /** Adds a values hash's entries (field, value, ...) of chunk `c` to entity i's groups. */
  const add = (i: number, c: number, entries: readonly DumpEntry[]) => {
    const row = totals[i] as number[];
    for (let k = 0; k + 1 < entries.length; k += 2) {
      const f = entries[k] as DumpEntry;
      const o = (typeof f === 'number' ? f : Number(f)) - base;
      if (o < 0 || o >= size) continue;
      const idx = c * size + o;
      if (idx < first || idx > last) continue;
      const j = Math.floor(idx / g) - g0;
      row[j] = (row[j] as number) + bucketWeight(metric.kind, entries[k + 1] as DumpEntry);
    }
  };
  /** Adds the buckets of chunk `c` from its prefix sums (edgeChunkCache.ts) to entity i's groups. */
  const addPrefix = (i: number, c: number, prefix: Float64Array) => {
    const row = totals[i] as number[];
    const at0 = c * size;
    const hi = Math.min(last, at0 + size - 1);
    for (let idx = Math.max(first, at0); idx <= hi; ) {
      const group = Math.floor(idx / g);
      const end = Math.min(hi, (group + 1) * g - 1);
      row[group - g0] = (row[group - g0] as number) + ((prefix[end - at0 + 1] as number) - (prefix[idx - at0] as number));
      idx = end + 1;
    }
  };
  const fields: ValuesFields = { kind: metric.kind, base, size };
  const cache = edgeChunkCache(ctx);
  const zeros = new Float64Array(size + 1);
  const groups = [...byShard];
  const stampsOf = metric.top && ctx.config.topCacheSeconds > 0 ? await readStamps(ctx, groups.map(([shard]) => shard), metric.name, interval.name, c0, c1) : groups.map(() => []);
  // Per shard: the chunks kept under the unions' stamps are summed here; the rest is read as
  // dumps, pairs (entity, chunk) when some are kept, else every chunk of every entity.
  const pairCalls: ScriptCall[] = [];
  const pairPlans: { shard: number; need: [number, number][]; kept: (Map<string, Float64Array> | undefined)[] }[] = [];
  const allCalls: ScriptCall[] = [];
  const allPlans: { shard: number; at: number[] }[] = [];
  groups.forEach(([shard, at], k) => {
    const stamps = stampsOf[k] as string[];
    if (!stamps.some((st) => st !== '')) {
      const args: (string | number)[] = [`${ctx.keys.tag(shard)}v:`, `:${interval.name}:`, c0, c1];
      for (const i of at) args.push(keys[i] as string);
      allCalls.push({ keys: [ctx.keys.generations(shard)], args });
      allPlans.push({ shard, at });
      return;
    }
    const kept = stamps.map((st, q) => (st === '' ? undefined : cache.chunk(edgeChunkKey(shard, interval.name, fields, c0 + q), st)));
    const need: [number, number][] = [];
    for (const i of at) {
      for (let c = c0; c <= c1; c++) {
        const prefix = kept[c - c0]?.get(keys[i] as string);
        if (prefix !== undefined) addPrefix(i, c, prefix);
        else need.push([i, c]);
      }
    }
    if (need.length === 0) return;
    const args: (string | number)[] = [`${ctx.keys.tag(shard)}v:`, `:${interval.name}:`, '', 0];
    for (const [i, c] of need) args.push(keys[i] as string, c);
    pairCalls.push({ keys: [ctx.keys.generations(shard)], args });
    pairPlans.push({ shard, need, kept });
  });
  const operation = `totalling ${metric.name}`;
  const [pairReplies, allReplies] = await Promise.all([
    pairCalls.length > 0 ? backend(operation, () => runScriptCalls(ctx.client, edgeDumpScript, pairCalls)) : [],
    allCalls.length > 0 ? backend(operation, () => runScriptCalls(ctx.client, groupTotalsScript, allCalls)) : [],
  ]);
  // a hash grown into a hash table (many metrics per entity) does not dump as a listpack: read it field by field
  const pipeline = ctx.client.pipeline();
  const unread: [number, number][] = [];
  const addDump = (shard: number, i: number, c: number, dump: Buffer, entities: Map<string, Float64Array> | undefined) => {
    if (dump.length === 0) {
      // no data of the entity in the chunk: kept as such too
      if (entities !== undefined) cache.keep(entities, keys[i] as string, zeros);
      return;
    }
    const entries = parseHashDump(dump);
    if (entries === null) {
      unread.push([i, c]);
      pipeline.hgetall(ctx.keys.values(shard, keys[i] as string, interval.name, c));
    } else if (entities === undefined) add(i, c, entries);
    else {
      const prefix = prefixSums(entries, fields);
      cache.keep(entities, keys[i] as string, prefix);
      addPrefix(i, c, prefix);
    }
  };
  pairPlans.forEach(({ shard, need, kept }, k) => {
    const reply = pairReplies[k] as Buffer[];
    if (reply.length !== need.length + 1) throw new BackendError(operation, new Error(`expected ${need.length} dumps, got ${reply.length - 1}`));
    need.forEach(([i, c], n) => addDump(shard, i, c, reply[n + 1] as Buffer, kept[c - c0]));
  });
  const per = c1 - c0 + 1;
  allPlans.forEach(({ shard, at }, k) => {
    const reply = allReplies[k] as Buffer[];
    if (reply.length !== at.length * per) throw new BackendError(operation, new Error(`expected ${at.length * per} dumps, got ${reply.length}`));
    at.forEach((i, n) => {
      for (let c = c0; c <= c1; c++) addDump(shard, i, c, reply[n * per + c - c0] as Buffer, undefined);
    });
  });
  if (unread.length > 0) {
    const hashes = await execPipeline(pipeline, operation);
    unread.forEach(([i, c], k) => add(i, c, Object.entries(hashes[k] as Record<string, string>).flat()));
  }
  return out;
}


/** The stamps of chunks c0..c1 of each shard's metric and interval ('' where none: see topUnion.ts). */
async function readStamps(ctx: StoreContext, shards: readonly number[], metric: string, interval: string, c0: number, c1: number): Promise<string[][]> {
  const calls = shards.map((shard) => ({ keys: [topChunkStampsKey(ctx.keys.topIndexPrefix(shard, metric, interval))], args: [c0, c1] }));
  const replies = await backend(`totalling ${metric}`, () => runScriptCalls(ctx.client, chunkStampsScript, calls));
  return replies.map((reply) => (reply as Buffer[]).map(String));
}
