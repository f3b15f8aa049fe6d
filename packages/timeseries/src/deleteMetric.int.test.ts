import { describe, expect, it } from 'vitest';
import type { Cluster, Redis } from 'ioredis';
import { createStore, type Sample, type Store, type StoreOptions } from './index';
import { InvalidQueryError } from './errors';
import { resolveOptions } from './options';
import { usePrivateRedis } from './testing/privateRedis';
import { keysOf } from './testing/redisFixture';
import { SIX_TYPE_METRICS, sixTypeWorkload } from './testing/sixTypeWorkload';
import type { DeleteMetricProgress } from './deleteMetric';

const T0 = 1_514_764_800;

const db = usePrivateRedis('delmetric');

const METRICS = SIX_TYPE_METRICS;
const NAMES = Object.keys(METRICS);

function options(prefix: string): StoreOptions {
  return { prefix, shards: 4, metrics: METRICS, intervals: { days: { step: 60, steps: 120 }, months: { step: 1800, steps: 48 } } };
}

function workload(): Sample[] {
  const out = sixTypeWorkload({ t0: T0, count: 2400, v6Hosts: 50, v4Hosts: 40 });
  // hosts with data of one metric only, so deleting it leaves them without data at all
  for (let i = 0; i < 40; i++) out.push({ metric: NAMES[i % NAMES.length] as string, entity: `10.7.0.${i}`, ts: T0 + 60 * i + 7, value: i % 5 });
  return out;
}

async function filled(samples: readonly Sample[], client: Redis | Cluster = db.redis): Promise<Store> {
  const prefix = db.prefix('dm');
  const store = createStore(client, options(prefix));
  for (let i = 0; i < samples.length; i += 3000) await store.bulkInsert(samples.slice(i, i + 3000));
  return store;
}

const ENTITIES = [...new Set(workload().map((s) => s.entity))].sort();

/** Every read of the given metrics for every entity of the workload, as JSON (byte comparison). */
async function reads(store: Store, metrics: readonly string[]): Promise<string> {
  const config = resolveOptions(options('x'));
  const out: unknown[] = [await store.newest()];
  const entities = ENTITIES;
  for (const metric of metrics) {
    out.push(await store.entities({ metric, limit: 1000 }), await store.countEntities({ metric }));
    const intervals = config.metrics.get(metric)?.intervals.map((i) => i.name) ?? [];
    const perEntity = await Promise.all(
      entities.map(async (entity) => [
        await store.properties({ metric, entity }),
        ...(await Promise.all(intervals.map(async (interval) => (await store.series({ metric, entity, interval, from: T0 - 60, to: T0 + 7260 })).points))),
      ]),
    );
    out.push(perEntity);
    if (config.metrics.get(metric)?.top) {
      for (const interval of intervals) {
        out.push(await store.top({ metric, interval, from: T0, to: T0 + 7199, limit: 1000 }));
        out.push(await store.top({ metric, interval, from: T0 + 1234, to: T0 + 5678, limit: 1000 }));
      }
    }
  }
  return JSON.stringify(out);
}

/** Reads over all metrics at once (entity listing and count over every metric). */
async function listing(store: Store): Promise<string> {
  return JSON.stringify([await store.entities({ limit: 1000 }), await store.countEntities()]);
}

describe('deleteMetric', () => {
  const samples = workload();

  it.each(NAMES)('deletes all of %s as if it had never been written, leaving the other metrics byte-identical', async (metric) => {
    const store = await filled(samples);
    const without = await filled(samples.filter((s) => s.metric !== metric));
    const others = NAMES.filter((m) => m !== metric);
    const before = await reads(store, others);
    const result = await store.deleteMetric({ metric });
    expect(result.removed).toBeGreaterThan(0);
    expect(await reads(store, others)).toBe(before);
    expect(await reads(store, [metric])).toBe(await reads(without, [metric]));
    expect(await listing(store)).toBe(await listing(without));
    // nothing of the metric is left in Redis (its keys, index entries, values-hash fields)
    const prefix = store.config.prefix;
    const left = (await keysOf(db.redis, prefix)).filter((k) => k.includes(`:${metric}:`) || k.endsWith(`e:${metric}`));
    expect(left).toEqual([]);
    expect(await store.deleteMetric({ metric })).toMatchObject({ removed: 0 });
  });

  it.each(['bytes', 'sizes', 'ports'])('deletes %s up to a time exactly as if those samples had never been written', async (metric) => {
    const to = T0 + 3599;
    const store = await filled(samples);
    const without = await filled(samples.filter((s) => !(s.metric === metric && s.ts <= to)));
    const others = NAMES.filter((m) => m !== metric);
    const before = await reads(store, others);
    await store.deleteMetric({ metric, to });
    expect(await reads(store, others)).toBe(before);
    expect(await reads(store, [metric])).toBe(await reads(without, [metric]));
    expect(await listing(store)).toBe(await listing(without));
  });

  it.each(NAMES)('deletes a middle range of %s, edge chunks included, in small steps', async (metric) => {
    // aligned to both intervals' buckets, so the same samples go from both; the edges cut chunks
    const from = T0 + 1800;
    const to = T0 + 5399;
    const store = await filled(samples);
    const without = await filled(samples.filter((s) => !(s.metric === metric && s.ts >= from && s.ts <= to)));
    const others = NAMES.filter((m) => m !== metric);
    const before = await reads(store, others);
    const seen: DeleteMetricProgress[] = [];
    await store.deleteMetric({ metric, from: from + 17, to: to - 3, stepEntities: 7, onProgress: (p) => seen.push(p) });
    expect(await reads(store, others)).toBe(before);
    expect(await reads(store, [metric])).toBe(await reads(without, [metric]));
    expect(await listing(store)).toBe(await listing(without));
    expect(seen.length).toBeGreaterThan(4);
    const last = seen.at(-1) as DeleteMetricProgress;
    expect(last.shardsDone).toBe(4);
    expect(last.entities).toBeGreaterThan(0);
    for (let i = 1; i < seen.length; i++) expect((seen[i] as DeleteMetricProgress).removed).toBeGreaterThanOrEqual((seen[i - 1] as DeleteMetricProgress).removed);
  });

  it('stops when onProgress throws, rethrowing its error, and a second run finishes the job exactly', async () => {
    const store = await filled(samples);
    const without = await filled(samples.filter((s) => s.metric !== 'sizes'));
    const stop = new Error('stop here');
    let calls = 0;
    const error = await store
      .deleteMetric({
        metric: 'sizes',
        stepEntities: 5,
        onProgress: () => {
          if (++calls === 3) throw stop;
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBe(stop);
    expect(await reads(store, ['sizes'])).not.toBe(await reads(without, ['sizes']));
    await store.deleteMetric({ metric: 'sizes' });
    expect(await reads(store, ['sizes'])).toBe(await reads(without, ['sizes']));
  });

  it('deletes one interval only', async () => {
    const store = await filled(samples);
    const before = await reads(store, NAMES.filter((m) => m !== 'bytes'));
    const months = (await store.series({ metric: 'bytes', entity: '10.0.1.1', interval: 'months', from: T0, to: T0 + 7199 })).points;
    await store.deleteMetric({ metric: 'bytes', interval: 'days' });
    expect((await store.series({ metric: 'bytes', entity: '10.0.1.1', interval: 'days', from: T0, to: T0 + 7199, collapse: true })).points[0]?.value).toBe(0);
    expect((await store.series({ metric: 'bytes', entity: '10.0.1.1', interval: 'months', from: T0, to: T0 + 7199 })).points).toEqual(months);
    expect(months.some((p) => typeof p.value === 'number' && p.value > 0)).toBe(true);
    expect(await reads(store, NAMES.filter((m) => m !== 'bytes'))).toBe(before);
  });

  it.each([
    [{ metric: 'nope' }, 'metric'],
    [{ metric: 'rtt', interval: 'weeks' }, 'interval'],
    [{ metric: 'lens', interval: 'months' }, 'interval'],
    [{ metric: 'bytes', from: T0 + 10, to: T0 }, 'from'],
    [{ metric: 'bytes', to: Number.NaN }, 'to'],
    [{ metric: 'bytes', stepEntities: 0 }, 'stepEntities'],
  ])('refuses %j with an error naming %s', async (q, field) => {
    const store = await filled(samples.slice(0, 60));
    const before = await reads(store, ['bytes', 'lens']);
    const error = await store.deleteMetric(q as Parameters<Store['deleteMetric']>[0]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidQueryError);
    expect((error as Error).message).toContain(field);
    expect(await reads(store, ['bytes', 'lens'])).toBe(before);
  });
});
