import { describe, expect, it } from 'vitest';
import { createStore, type SeriesQuery } from './index';
import { usePrivateCluster } from './testing/privateCluster';

/** Series answer versions on a real 3-master Redis Cluster: the newest time and the generations live in different slots. */

const T0 = 1_514_764_800;
const c = usePrivateCluster('version-cluster');

describe('series answer versions on Redis Cluster', () => {
  it('names the version a read saw, and changes with a write or delete of the entity', async () => {
    const store = createStore(c.client, { prefix: 'vc', shards: 8, metrics: { n: { type: 'count' }, h: { type: 'histogram' } }, intervals: { days: { step: 60, steps: 120 } } });
    const entities = ['10.0.0.1', '10.0.0.2', '2001:db8::7', '192.168.1.9'];
    await store.bulkInsert(entities.flatMap((entity, i) => [{ metric: 'n', entity, ts: T0 + i * 60, value: i + 1 }, { metric: 'h', entity, ts: T0 + i * 60, value: 443 }]));
    for (const entity of entities) {
      for (const metric of ['n', 'h']) {
        const q: SeriesQuery = { metric, entity, interval: 'days', from: T0, to: T0 + 600 };
        const read = await store.versionedSeries(q);
        expect(await store.seriesVersion(q)).toBe(read.version);
        expect(read.result).toEqual(await store.series(q));
      }
    }
    const q: SeriesQuery = { metric: 'n', entity: '2001:db8::7', interval: 'days', from: T0, to: T0 + 600 };
    const v0 = await store.seriesVersion(q);
    await store.bulkInsert([{ metric: 'h', entity: '2001:db8::7', ts: T0 + 5, value: 80 }]);
    const v1 = await store.seriesVersion(q);
    expect(v1).not.toBe(v0);
    await store.delete({ entity: '2001:db8::7', metric: 'h' });
    expect(await store.seriesVersion(q)).not.toBe(v1);
  });
});
