import { backend, type StoreContext } from './context';
import { deleteScript } from './deleteScript';
import { InvalidQueryError } from './errors';
import { lookupEntity, lookupMetric } from './lookup';
import { metricIds } from './metricIds';

/** A `delete` request: one series (metric and entity) or every series of an entity. */
export interface DeleteQuery {
  /** IP address, any valid spelling. */
  entity: string;
  /** Only this metric; default: every configured metric. */
  metric?: string;
}

/**
 * Deletes the data and index entries of the series, atomically in the entity's shard. Returns
 * the number of stored items removed (bucket fields of shared hashes, and keys).
 */
export async function deleteSeries(ctx: StoreContext, q: DeleteQuery): Promise<number> {
  if (typeof q !== 'object' || q === null) throw new InvalidQueryError('query', 'must be an object {entity, metric?}');
  const ek = lookupEntity(q.entity);
  const metrics = q.metric === undefined ? [...ctx.config.metrics.values()] : [lookupMetric(ctx.config, q.metric)];
  const shard = ctx.keys.shardOf(ek);
  const ids = await metricIds(ctx);
  const args: (string | number)[] = [ctx.keys.tag(shard), ek, metrics.length];
  for (const m of metrics) {
    args.push(m.name, m.kind, ids.get(m.name) as number, m.intervals.length);
    for (const i of m.intervals) args.push(i.name, i.chunk);
  }
  args.push(ctx.config.metrics.size);
  for (const m of ctx.config.metrics.values()) {
    args.push(m.name, m.intervals.length);
    for (const i of m.intervals) args.push(i.step, i.steps);
  }
  if (q.metric === undefined) args.push(ctx.config.intervals.size, ...ctx.config.intervals.keys());
  else args.push(0);
  const removed = await backend('deleting a series', () => deleteScript.run(ctx.client, [ctx.keys.allEntities(shard)], args));
  return Number(removed);
}
