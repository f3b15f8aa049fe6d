import { describe, expect, it } from 'vitest';
import { canonicalIp, createBucketReader, createStore, type Sample } from './index';
import { usePrivateCluster } from './testing/privateCluster';

/** getMany on a real 3-master Redis Cluster: one pipeline per shard, every key of it in the shard's slot. */

const T0 = 1_514_764_800;
const c = usePrivateCluster('getmany-cluster');

describe('BucketReader.getMany on Redis Cluster', () => {
  it('reads one bucket of every entity and metric as get does, shards spread over the masters', async () => {
    const store = createStore(c.client, {
      prefix: 'gm',
      shards: 16,
      metrics: { bytes: { type: 'count' }, state: { type: 'histogram' }, peers: { type: 'hll' }, ports: { type: 'set' } },
    });
    const entities = Array.from({ length: 80 }, (_, i) => (i % 10 === 0 ? `2001:db8::${i + 1}` : `10.2.${i}.1`));
    const samples: Sample[] = [];
    entities.forEach((entity, i) => {
      for (let k = 0; k <= i % 7; k++) {
        const ts = T0 + ((i * 7 + k * 13) % 120);
        samples.push(
          { metric: 'bytes', entity, ts, value: 10 + k },
          { metric: 'state', entity, ts, value: k % 2 === 0 ? 'SF' : 'REJ' },
          { metric: 'peers', entity, ts, value: `192.0.2.${k}` },
          { metric: 'ports', entity, ts, value: String(80 + k) },
        );
      }
    });
    await store.bulkInsert(samples);
    const reader = createBucketReader(c.client, store.config);
    for (const ts of [T0, T0 + 60]) {
      const many = await reader.getMany({ metrics: ['bytes', 'state', 'peers', 'ports'], entities, interval: 'days', ts });
      let present = 0;
      for (const metric of ['bytes', 'state', 'peers', 'ports']) {
        for (const entity of entities) {
          const one = (await store.get({ metric, entity, interval: 'days', ts })).value;
          const got = many.values.get(metric)?.get(canonicalIp(entity));
          const empty = one === 0 || (typeof one === 'object' && one !== null && Object.keys(one).length === 0);
          if (empty) {
            expect(got, `${metric} ${entity}`).toBeUndefined();
          } else {
            present++;
            expect(got, `${metric} ${entity}`).toEqual(one);
          }
        }
      }
      expect(present).toBeGreaterThan(80);
    }
  });
});
