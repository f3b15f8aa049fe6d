import { bucketIndex, chunkOf, cutoffIndex } from './bucket';
import { backend, execPipeline, readNewest, type StoreContext } from './context';
import { InvalidQueryError } from './errors';
import { lookupEntity, lookupMetric } from './lookup';
import { metricIds } from './metricIds';

/** A `properties` request. */
export interface PropertiesQuery {
  metric: string;
  /** IP address, any valid spelling. */
  entity: string;
}

/** Start of the first and of the last retained bucket (unix seconds). */
export interface BucketSpan {
  first: number;
  last: number;
}

/**
 * First and last retained bucket of a series in each interval of its metric (null where the
 * interval holds nothing). The last bucket comes from the entity index; the first from the
 * series' chunks, read from the oldest retained chunk forward.
 */
export async function readProperties(ctx: StoreContext, q: PropertiesQuery): Promise<Record<string, BucketSpan | null>> {
  if (typeof q !== 'object' || q === null) throw new InvalidQueryError('query', 'must be an object {metric, entity}');
  const metric = lookupMetric(ctx.config, q.metric);
  const ek = lookupEntity(q.entity);
  const shard = ctx.keys.shardOf(ek);
  const [ids, newest, score] = await Promise.all([
    metricIds(ctx),
    readNewest(ctx),
    backend('reading properties', () => ctx.client.zscore(ctx.keys.entities(shard, metric.name, ek), ek)),
  ]);
  const out: Record<string, BucketSpan | null> = {};
  for (const interval of metric.intervals) out[interval.name] = null;
  if (newest === null || score === null) return out;
  const lastSeen = -Number(score);
  const id = ids.get(metric.name) as number;
  const labelled = metric.type === 'histogram' || metric.type === 'set';
  const pipeline = ctx.client.pipeline();
  const spans: { name: string; cut: number; lastIdx: number; c0: number; c1: number }[] = [];
  for (const interval of metric.intervals) {
    const cut = cutoffIndex(interval, newest);
    const lastIdx = bucketIndex(lastSeen, interval);
    if (lastIdx < cut) continue;
    const c0 = chunkOf(cut, interval);
    const c1 = chunkOf(lastIdx, interval);
    for (let c = c0; c <= c1; c++) {
      if (labelled) pipeline.hkeys(ctx.keys.labelled(shard, ek, interval.name, c));
      else pipeline.hmget(ctx.keys.values(shard, ek, interval.name, c), ...Array.from({ length: interval.chunk }, (_, o) => String(id * interval.chunk + o)));
    }
    spans.push({ name: interval.name, cut, lastIdx, c0, c1 });
  }
  const replies = (await execPipeline(pipeline, `reading properties of ${metric.name}`)) as string[][];
  let r = 0;
  for (const span of spans) {
    const interval = metric.intervals.find((i) => i.name === span.name);
    if (!interval) continue;
    let first: number | null = null;
    for (let c = span.c0; c <= span.c1; c++) {
      const reply = replies[r++] as (string | null)[];
      if (first !== null) continue;
      // a labelled hash holds every histogram and set metric: this one's fields are `<id * chunk + offset>:<label>`
      const fb = id * interval.chunk;
      const offsets = labelled
        ? reply.map((field) => Number((field as string).slice(0, (field as string).indexOf(':'))) - fb).filter((o) => o >= 0 && o < interval.chunk)
        : reply.flatMap((v, o) => (v === null ? [] : [o]));
      for (const o of offsets) {
        const idx = c * interval.chunk + o;
        if (idx >= span.cut && (first === null || idx < first)) first = idx;
      }
    }
    out[span.name] = { first: (first ?? span.lastIdx) * interval.resolution, last: span.lastIdx * interval.resolution };
  }
  return out;
}
