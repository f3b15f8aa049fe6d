import { describe, expect, it } from 'vitest';
import { usePrivateRedis } from './testing/privateRedis';
import { createStore, type StoreOptions } from './index';
import { StoredLayoutError } from './errors';
import { STORED_LAYOUT } from './keyScheme';

const T0 = 1_514_764_800;

const db = usePrivateRedis('layout');

const METRICS: StoreOptions['metrics'] = {
  resp: { type: 'histogram' },
  bytes: { type: 'count' },
  ports: { type: 'set' },
};

describe('stored layout version', () => {
  it('marks a new store with the layout it writes', async () => {
    const prefix = db.prefix();
    const s = createStore(db.redis, { prefix, metrics: METRICS });
    await s.bulkInsert([{ metric: 'bytes', entity: '10.0.0.1', ts: T0, value: 5 }]);
    expect(await db.redis.hget(`{${prefix}}ids`, '@layout')).toBe(String(STORED_LAYOUT));
    // a second store on the same keys reads them
    const again = createStore(db.redis, { prefix, metrics: METRICS });
    expect((await again.get({ metric: 'bytes', entity: '10.0.0.1', interval: 'days', ts: T0 })).value).toBe(5);
  });

  it('refuses keys of layout 1 (metrics registered, no version) on writes and reads, writing nothing', async () => {
    const prefix = db.prefix();
    // what layout 1 left: registered metric numbers, no '@layout', a histogram in its own hash
    await db.redis.hset(`{${prefix}}ids`, '#', '2', 'histogram:resp', '0', 'count:bytes', '1');
    await db.redis.hset(`{${prefix}:0}x:resp:0a000001:days:420768`, '0:tcp', '3');
    await db.redis.zadd(`{${prefix}}newest`, T0, 'n');
    const s = createStore(db.redis, { prefix, metrics: METRICS });
    const write = s.bulkInsert([{ metric: 'resp', entity: '10.0.0.1', ts: T0 + 600, value: 'tcp' }]);
    await expect(write).rejects.toBeInstanceOf(StoredLayoutError);
    await expect(write).rejects.toMatchObject({ code: 'STORED_LAYOUT', stored: 1, retriable: false });
    await expect(write).rejects.toThrow(new RegExp(`stored layout 1.*reads layout ${STORED_LAYOUT}.*new prefix`));
    const read = s.series({ metric: 'resp', entity: '10.0.0.1', interval: 'days', from: T0, to: T0 + 60 });
    await expect(read).rejects.toBeInstanceOf(StoredLayoutError);
    expect(await db.redis.hget(`{${prefix}}ids`, '@layout')).toBeNull();
    expect(await db.redis.zscore(`{${prefix}}newest`, 'n')).toBe(String(T0));
    expect(await db.redis.keys(`{${prefix}:*}l:*`)).toEqual([]);
  });

  it('refuses keys of layout 2 (one entity index per metric and shard), writing nothing', async () => {
    const prefix = db.prefix();
    await db.redis.hset(`{${prefix}}ids`, '@layout', '2', '#', '1', 'count:bytes', '0');
    await db.redis.zadd(`{${prefix}:0}e:bytes`, -T0, '0a000001');
    const s = createStore(db.redis, { prefix, metrics: METRICS });
    const write = s.bulkInsert([{ metric: 'bytes', entity: '10.0.0.1', ts: T0 + 60, value: 1 }]);
    await expect(write).rejects.toMatchObject({ code: 'STORED_LAYOUT', stored: 2, retriable: false });
    await expect(s.entities({ metric: 'bytes' })).rejects.toBeInstanceOf(StoredLayoutError);
    expect(await db.redis.keys(`{${prefix}:*}e:bytes:*`)).toEqual([]);
    expect(await db.redis.keys(`{${prefix}:*}v:*`)).toEqual([]);
  });

  it('refuses keys of a newer layout', async () => {
    const prefix = db.prefix();
    await db.redis.hset(`{${prefix}}ids`, '@layout', String(STORED_LAYOUT + 1));
    const s = createStore(db.redis, { prefix, metrics: METRICS });
    await expect(s.bulkInsert([{ metric: 'bytes', entity: '10.0.0.1', ts: T0, value: 1 }])).rejects.toMatchObject({ code: 'STORED_LAYOUT', stored: STORED_LAYOUT + 1 });
  });

  it('keeps every histogram and set metric of an entity chunk in one hash, each read back alone', async () => {
    const prefix = db.prefix();
    const s = createStore(db.redis, { prefix, metrics: { ...METRICS, sizes: { type: 'histogram' } } });
    await s.bulkInsert([
      { metric: 'resp', entity: '10.0.0.1', ts: T0, value: 'tcp' },
      { metric: 'resp', entity: '10.0.0.1', ts: T0 + 1, value: 'tcp' },
      { metric: 'sizes', entity: '10.0.0.1', ts: T0, value: 'tcp' },
      { metric: 'ports', entity: '10.0.0.1', ts: T0 + 60, value: '443' },
    ]);
    const keys = await db.redis.keys(`{${prefix}:*}l:*`);
    // one labelled hash per interval (days, months), none per metric
    expect(keys).toHaveLength(2);
    expect((await s.get({ metric: 'resp', entity: '10.0.0.1', interval: 'days', ts: T0 })).value).toEqual({ tcp: 2 });
    expect((await s.get({ metric: 'sizes', entity: '10.0.0.1', interval: 'days', ts: T0 })).value).toEqual({ tcp: 1 });
    expect((await s.get({ metric: 'ports', entity: '10.0.0.1', interval: 'days', ts: T0 + 60 })).value).toEqual(['443']);
    expect((await s.get({ metric: 'ports', entity: '10.0.0.1', interval: 'days', ts: T0 })).value).toEqual([]);
  });
});
