import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createStore, type Sample, type Store, type StoreOptions } from './index';
import { resolveOptions } from './options';
import { ReferenceStore } from './testing/referenceStore';
import { usePrivateCluster } from './testing/privateCluster';
import { SIX_TYPE_METRICS, sixTypeWorkload } from './testing/sixTypeWorkload';

/** The same store code on a real 3-master Redis Cluster (redis-server in cluster mode). */

const T0 = 1_514_764_800;
const c = usePrivateCluster('cluster');

const options: StoreOptions = {
  prefix: 'cl',
  shards: 16,
  metrics: SIX_TYPE_METRICS,
  intervals: { days: { step: 60, steps: 120 }, months: { step: 1800, steps: 48 } },
};

const workload = (): Sample[] => sixTypeWorkload({ t0: T0, count: 3000, v6Hosts: 50, v4Hosts: 40 });

async function reads(store: Store): Promise<unknown[]> {
  const out: unknown[] = [];
  const entities = await store.entities({ limit: 1000 });
  out.push(entities, await store.countEntities());
  for (const metric of Object.keys(options.metrics)) {
    out.push(await store.entities({ metric, offset: 3, limit: 17 }));
    for (const entity of entities.slice(0, 12)) {
      out.push(await store.properties({ metric, entity }));
      for (const interval of resolveOptions(options).metrics.get(metric)?.intervals.map((i) => i.name) ?? []) {
        out.push((await store.series({ metric, entity, interval, from: T0 - 60, to: T0 + 7300 })).points);
        out.push((await store.series({ metric, entity, interval, from: T0, to: T0 + 7300, collapse: true })).points);
      }
    }
  }
  for (const metric of ['bytes', 'sizes', 'lens']) {
    out.push(await store.top({ metric, interval: 'days', from: T0 + 1234, to: T0 + 5678, limit: 25 }));
    out.push(await store.top({ metric, interval: 'days', limit: 25, offset: 5 }));
  }
  return out;
}

describe('on a 3-master Redis Cluster', () => {
  it('spreads the shards over the masters', async () => {
    const masters = new Set<number>();
    const probe = new Redis(c.cluster.startupNodes[0] as { host: string; port: number });
    try {
      const slots = (await probe.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
      for (let s = 0; s < 16; s++) {
        const slot = Number(await probe.call('CLUSTER', 'KEYSLOT', `{cl:${s}}f`));
        const owner = slots.find(([a, b]) => slot >= a && slot <= b);
        masters.add(owner?.[2][1] ?? -1);
      }
    } finally {
      probe.disconnect();
    }
    expect(masters.size).toBe(3);
  });

  it('writes, fences and reads exactly as on one Redis', async () => {
    const store = createStore(c.client, options);
    const ref = new ReferenceStore(resolveOptions(options));
    const samples = workload();
    for (let i = 0; i < samples.length; i += 2000) {
      const batch = samples.slice(i, i + 2000);
      const r = await store.bulkInsert(batch, { fence: { scope: 'conn/0', token: i } });
      expect(r.written).toBe(batch.length);
      ref.insert(batch);
    }
    // replaying the whole stream counts nothing twice
    const replay = await store.bulkInsert(samples.slice(0, 2000), { fence: { scope: 'conn/0', token: 0 } });
    expect(replay).toMatchObject({ written: 0, skipped: 2000 });
    expect(await store.fenceToken('conn/0')).toBe(samples.length - 2000);

    for (const entity of ['10.0.3.0', '2001:db8::7']) {
      for (const metric of ['bytes', 'sizes', 'lens', 'rtt', 'ports']) {
        const q = { metric, entity, interval: 'days', from: T0, to: T0 + 7200 };
        expect((await store.series(q)).points).toEqual(ref.series(q));
      }
    }
    expect(await store.top({ metric: 'bytes', interval: 'days', from: T0 + 1234, to: T0 + 5678, limit: 25 })).toEqual(
      ref.top({ metric: 'bytes', interval: 'days', from: T0 + 1234, to: T0 + 5678, limit: 25, offset: 0 }),
    );
    expect(await store.entities({ limit: 1000 })).toEqual(ref.entities());

    // the same answers as the same code on a single Redis
    const dir1 = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-ts-single-'));
    const { startRedisServer } = await import('@ipscope/testkit');
    const single = await startRedisServer({ dir: dir1, appendonly: false });
    const one = new Redis(single.url);
    try {
      const plain = createStore(one, options);
      for (let i = 0; i < samples.length; i += 2000) await plain.bulkInsert(samples.slice(i, i + 2000), { fence: { scope: 'conn/0', token: i } });
      expect(await reads(store)).toEqual(await reads(plain));
      expect(await store.delete({ entity: '10.0.3.0' })).toBeGreaterThan(0);
      await plain.delete({ entity: '10.0.3.0' });
      expect(await reads(store)).toEqual(await reads(plain));
    } finally {
      one.disconnect();
      await single.stop();
      fs.rmSync(dir1, { recursive: true, force: true });
    }
    // every master holds part of the data
    for (const node of c.client.nodes('master')) expect(await node.dbsize()).toBeGreaterThan(0);
  });
});
