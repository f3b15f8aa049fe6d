import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Detector } from './detector';
import type { ClosedBucket } from './detector';
import { InvalidOptionError } from './errors';
import { MemoryModelStateStore } from './modelStateStore';
import { RedisModelStateStore } from './redisModelStateStore';
import { MONDAY, SeededRandom } from './testing/seededRandom';

let redis: Redis;
const stores: RedisModelStateStore[] = [];

function newStore(shards = 8): RedisModelStateStore {
  const store = new RedisModelStateStore(redis, { prefix: `test:detect:${randomBytes(4).toString('hex')}`, shards });
  stores.push(store);
  return store;
}

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});

afterAll(async () => {
  for (const store of stores) await store.clear();
  await redis.quit();
});

describe('RedisModelStateStore', () => {
  it('saves and loads state bytes exactly, undefined for unknown series', async () => {
    const store = newStore();
    const a = new Uint8Array([1, 2, 3, 0, 255]);
    const b = new Uint8Array(350).map((_, i) => i % 251);
    await store.save([
      { id: 'conns|10.0.0.1', state: a, lastSeen: MONDAY },
      { id: 'bytes|2001:db8::1', state: b, lastSeen: MONDAY + 60 },
    ]);
    const loaded = await store.load(['bytes|2001:db8::1', 'nope|x', 'conns|10.0.0.1']);
    expect(loaded[0]).toEqual(b);
    expect(loaded[1]).toBeUndefined();
    expect(loaded[2]).toEqual(a);
    expect((await store.listActive(MONDAY + 1)).sort()).toEqual(['bytes|2001:db8::1']);
    expect(await store.prune(MONDAY + 1)).toBe(1);
    expect(await store.load(['conns|10.0.0.1'])).toEqual([undefined]);
  });

  it('keeps shared states', async () => {
    const store = newStore();
    expect(await store.loadShared('population:conns')).toBeUndefined();
    await store.saveShared('population:conns', new Uint8Array([9, 8, 7]));
    expect(await store.loadShared('population:conns')).toEqual(new Uint8Array([9, 8, 7]));
  });

  it('lets a restarted detector continue exactly where the last left off', async () => {
    const random = new SeededRandom(12);
    const hosts = Array.from({ length: 20 }, (_, i) => `10.0.1.${i}`);
    const steps = 300;
    const data = Array.from({ length: steps }, () => hosts.map(() => random.poisson(30)));
    const make = (ts: number, i: number): ClosedBucket[] =>
      hosts.map((entity, h) => ({ metric: 'conns', entity, ts, value: i === 250 && h === 3 ? 3000 : ((data[i] as number[])[h] as number) }));
    const reference = new Detector(new MemoryModelStateStore(), { newcomerAfter: 0 });
    const expected: number[][] = [];
    for (let i = 0; i < steps; i++) expected.push((await reference.processStep(MONDAY + i * 60, make(MONDAY + i * 60, i))).scores.map((s) => s.score));

    const store = newStore();
    const first = new Detector(store, { newcomerAfter: 0 });
    for (let i = 0; i < 150; i++) await first.processStep(MONDAY + i * 60, make(MONDAY + i * 60, i));
    const restarted = new Detector(newStoreSharing(store), { newcomerAfter: 0 });
    let events = 0;
    for (let i = 150; i < steps; i++) {
      const result = await restarted.processStep(MONDAY + i * 60, make(MONDAY + i * 60, i));
      expect(result.scores.map((s) => s.score)).toEqual(expected[i]);
      events += result.events.length;
    }
    expect(events).toBeGreaterThan(0);
  });

  it('works on a Redis Cluster client (hash-tagged keys, one slot per shard)', async () => {
    const { startRedisCluster } = await import('@ipscope/testkit');
    const os = await import('node:os');
    const path = await import('node:path');
    const fs = await import('node:fs');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'detect-cluster-'));
    const cluster = await startRedisCluster(dir);
    const client = new Cluster(cluster.startupNodes);
    try {
      const store = new RedisModelStateStore(client, { prefix: 'test:cluster', shards: 16 });
      const ids = Array.from({ length: 100 }, (_, i) => `conns|10.2.0.${i}`);
      await store.save(ids.map((id, i) => ({ id, state: new Uint8Array([i, i + 1]), lastSeen: MONDAY })));
      const loaded = await store.load(ids);
      expect(loaded.map((b) => b?.[0])).toEqual(ids.map((_, i) => i));
      expect((await store.listActive(MONDAY)).length).toBe(100);
    } finally {
      await client.quit();
      await cluster.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects impossible options', () => {
    expect(() => new RedisModelStateStore(redis, { shards: 0 })).toThrow(InvalidOptionError);
    expect(() => new RedisModelStateStore(redis, { prefix: 'a{b}' })).toThrow(/braces/);
  });
});

function newStoreSharing(store: RedisModelStateStore): RedisModelStateStore {
  return new RedisModelStateStore(redis, store.options);
}
