import { describe, expect, it } from 'vitest';
import { createStore, type Sample, type Store, type StoreOptions } from './index';
import { usePrivateCluster } from './testing/privateCluster';
import { usePrivateRedis } from './testing/privateRedis';
import { sixTypeWorkload } from './testing/sixTypeWorkload';

/** deleteMetric on a real 3-master Redis Cluster gives exactly what it gives on one Redis. */

const T0 = 1_514_764_800;
const c = usePrivateCluster('delmetric-cluster');
const one = usePrivateRedis('delmetric-single');

const options: StoreOptions = {
  prefix: 'dmc',
  shards: 16,
  metrics: { bytes: { type: 'count' }, sizes: { type: 'histogram', top: true }, peers: { type: 'hll' }, rtt: { type: 'gauge' } },
  intervals: { days: { step: 60, steps: 120 }, months: { step: 1800, steps: 48 } },
};

const workload = (): Sample[] => sixTypeWorkload({ t0: T0, count: 2000, v6Hosts: 40, v4Hosts: 30, metrics: ['bytes', 'sizes', 'peers', 'rtt'] });

const ENTITIES = [...new Set(workload().map((s) => s.entity))].sort();

async function reads(store: Store): Promise<string> {
  const out: unknown[] = [await store.entities({ limit: 1000 }), await store.countEntities()];
  for (const metric of Object.keys(options.metrics)) {
    out.push(await store.entities({ metric, limit: 1000 }));
    out.push(
      await Promise.all(
        ENTITIES.map(async (entity) => [
          await store.properties({ metric, entity }),
          (await store.series({ metric, entity, interval: 'days', from: T0, to: T0 + 7199 })).points,
          (await store.series({ metric, entity, interval: 'months', from: T0, to: T0 + 7199 })).points,
        ]),
      ),
    );
  }
  for (const metric of ['bytes', 'sizes']) out.push(await store.top({ metric, interval: 'days', from: T0 + 1000, to: T0 + 6000, limit: 1000 }));
  return JSON.stringify(out);
}

describe('deleteMetric on a 3-master Redis Cluster', () => {
  it('deletes over a range, and wholly, exactly as on one Redis', async () => {
    const onCluster = createStore(c.client, options);
    const onOne = createStore(one.redis, options);
    const samples = workload();
    for (let i = 0; i < samples.length; i += 2000) {
      await onCluster.bulkInsert(samples.slice(i, i + 2000));
      await onOne.bulkInsert(samples.slice(i, i + 2000));
    }
    expect(await reads(onCluster)).toBe(await reads(onOne));
    for (const metric of ['sizes', 'bytes']) {
      const a = await onCluster.deleteMetric({ metric, from: T0 + 1800, to: T0 + 5399, stepEntities: 13 });
      const b = await onOne.deleteMetric({ metric, from: T0 + 1800, to: T0 + 5399, stepEntities: 13 });
      expect(a).toEqual(b);
      expect(a.removed).toBeGreaterThan(0);
    }
    await onCluster.deleteMetric({ metric: 'peers' });
    await onOne.deleteMetric({ metric: 'peers' });
    expect(await reads(onCluster)).toBe(await reads(onOne));
    const bytes = await onCluster.series({ metric: 'bytes', entity: '10.0.1.1', interval: 'months', from: T0, to: T0 + 7199 });
    expect(bytes.points.map((p) => p.value === 0)).toEqual([false, true, true, false]);
  });
});
