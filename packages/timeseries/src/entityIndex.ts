import { cutoffTs } from './bucket';
import { ipFromKey } from './canonicalIp';
import { backend, readNewest, type StoreContext } from './context';
import { InvalidQueryError } from './errors';
import { lookupCount, lookupMetric } from './lookup';
import { metricIds } from './metricIds';
import { compareKeys } from './topQuery';

/** An `entities` / `countEntities` request. */
export interface EntitiesQuery {
  /** Only entities with retained data of this metric; default: of any metric. */
  metric?: string;
  /** Entries to skip, 0..1 000 000. Default 0. */
  offset?: number;
  /** Entries to return, 1..10 000. Default 100. */
  limit?: number;
}

interface IndexBounds {
  /** Index keys of a shard (the per-metric index is kept in parts). */
  keys: (shard: number) => string[];
  /** Highest visible score, as a Redis score bound. */
  max: string;
}

/**
 * Which index to read and which scores are visible. Per metric the index holds -(last seen);
 * an entity is listed while its last data is retained by some interval of the metric. Over all
 * metrics the index holds -(time its newest data expires), listed while that is after `newest`.
 */
function bounds(ctx: StoreContext, q: EntitiesQuery, newest: number): IndexBounds {
  if (q.metric !== undefined) {
    const metric = lookupMetric(ctx.config, q.metric);
    const cutoff = Math.min(...metric.intervals.map((i) => cutoffTs(i, newest)));
    return { keys: (s) => ctx.keys.entityIndexParts(s, metric.name), max: String(-cutoff) };
  }
  return { keys: (s) => [ctx.keys.allEntities(s)], max: `(${-newest}` };
}

function checkQuery(q: EntitiesQuery): void {
  if (typeof q !== 'object' || q === null) throw new InvalidQueryError('query', 'must be an object {metric?, offset?, limit?}');
}

/**
 * Lists entities with retained data, most recently active first (to the metric's finest bucket;
 * ties by key form), paginated.
 * Reads the writer's per-shard indexes; never KEYS or SCAN. Cost grows with offset + limit.
 */
export async function listEntities(ctx: StoreContext, q: EntitiesQuery = {}): Promise<string[]> {
  checkQuery(q);
  const offset = lookupCount(q.offset, 'offset', 0, 0, 1_000_000);
  const limit = lookupCount(q.limit, 'limit', 100, 1, 10_000);
  if (q.metric !== undefined) lookupMetric(ctx.config, q.metric);
  // metricIds first: keys of another stored layout refuse the read (cached after the first call)
  const [, newest] = await Promise.all([metricIds(ctx), readNewest(ctx)]);
  if (newest === null) return [];
  const b = bounds(ctx, q, newest);
  const keys = Array.from({ length: ctx.config.shards }, (_, s) => b.keys(s)).flat();
  const perShard = await Promise.all(
    keys.map((key) => backend('listing entities', () => ctx.client.zrangebyscore(key, '-inf', b.max, 'WITHSCORES', 'LIMIT', 0, offset + limit))),
  );
  const all: [string, number][] = [];
  for (const reply of perShard) for (let i = 0; i < reply.length; i += 2) all.push([reply[i] as string, Number(reply[i + 1])]);
  all.sort((a, b2) => a[1] - b2[1] || compareKeys(a[0], b2[0]));
  return all.slice(offset, offset + limit).map(([ek]) => ipFromKey(ek));
}

/** Number of entities {@link listEntities} would list in total. */
export async function countEntities(ctx: StoreContext, q: Pick<EntitiesQuery, 'metric'> = {}): Promise<number> {
  checkQuery(q);
  if (q.metric !== undefined) lookupMetric(ctx.config, q.metric);
  const [, newest] = await Promise.all([metricIds(ctx), readNewest(ctx)]);
  if (newest === null) return 0;
  const b = bounds(ctx, q, newest);
  const keys = Array.from({ length: ctx.config.shards }, (_, s) => b.keys(s)).flat();
  const counts = await Promise.all(keys.map((key) => backend('counting entities', () => ctx.client.zcount(key, '-inf', b.max))));
  return counts.reduce((a, c) => a + c, 0);
}
