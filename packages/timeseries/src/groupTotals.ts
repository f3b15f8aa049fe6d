import { cutoffIndex } from './bucket';
import { backend, readNewest, type StoreContext } from './context';
import { BackendError, InvalidQueryError } from './errors';
import { groupTotalsScript } from './groupTotalsScript';
import { lookupEntity, lookupInterval, lookupMetric } from './lookup';
import { metricIds } from './metricIds';
import { resolveRange, type RangeQuery } from './range';
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
 * (groupTotalsScript.ts), all shards at once, which reads the wanted fields of each values hash
 * and sums them inside Redis; the reply is one short text per entity. Histograms are read per
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
  const byShard = new Map<number, number[]>();
  keys.forEach((key, i) => {
    const shard = ctx.keys.shardOf(key);
    let list = byShard.get(shard);
    if (!list) byShard.set(shard, (list = []));
    list.push(i);
  });
  const lo = Math.floor(first / g) - g0;
  await Promise.all(
    [...byShard].map(async ([shard, at]) => {
      const args: (string | number)[] = [metric.kind, `${ctx.keys.tag(shard)}v:`, `:${interval.name}:`, id * interval.chunk, interval.chunk, first, last, g];
      for (const i of at) args.push(keys[i] as string);
      const reply = (await backend(`totalling ${metric.name}`, () => groupTotalsScript.run(ctx.client, [ctx.keys.generations(shard)], args))) as string[];
      at.forEach((i, k) => {
        const text = reply[k];
        if (typeof text !== 'string') throw new BackendError(`totalling ${metric.name}`, new Error(`expected ${at.length} replies, got ${reply.length}`));
        const parts = text.split(',');
        const row = totals[i] as number[];
        for (let j = 0; j < parts.length; j++) row[lo + j] = Number(parts[j]);
      });
    }),
  );
  return out;
}

