import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedisServer, type RunningRedis } from '@ipscope/testkit';
import { createStore, type Sample, type Store } from './index';
import { BackendError, InvalidSampleError, StoreBehindError } from './errors';
import { KeyScheme } from './keyScheme';
import { ipKey } from './canonicalIp';
import { connect, uniquePrefix } from './testing/redisFixture';

const T0 = 1_600_000_000;
const prefixes: string[] = [];
// A private Redis: crash tests change ACLs, which must not touch the shared one.
let privateDir: string;
let privateRedis: RunningRedis;
let admin: Redis;
const clients: Redis[] = [];

beforeAll(async () => {
  privateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-fence-'));
  privateRedis = await startRedisServer({ dir: privateDir, appendonly: false });
  admin = connect(privateRedis.url);
});
afterAll(async () => {
  for (const c of clients) c.disconnect();
  admin.disconnect();
  await privateRedis.stop();
  fs.rmSync(privateDir, { recursive: true, force: true });
});

const METRICS = { bytes: { type: 'count' }, lens: { type: 'series' }, peers: { type: 'set' } } as const;

function store(client: Redis = admin, prefix = uniquePrefix('f')): Store {
  prefixes.push(prefix);
  return createStore(client, { prefix, shards: 8, metrics: METRICS });
}

/**
 * A store whose Redis user may read but not write one shard: its script there is refused, the
 * others run. That is a writer dying between shards, produced by the real Redis. Returns the
 * crashing store and a healthy one on the same keys.
 */
async function crashingAt(entity: string): Promise<{ crashing: Store; healthy: Store }> {
  const prefix = uniquePrefix('c');
  const keys = new KeyScheme(prefix, 8);
  const broken = keys.shardOf(ipKey(entity));
  const user = `writer${prefix}`;
  const patterns = [`~{${prefix}}*`, `%R~{${prefix}:${broken}}*`];
  for (let s = 0; s < 8; s++) if (s !== broken) patterns.push(`~{${prefix}:${s}}*`);
  await admin.call('ACL', 'SETUSER', user, 'on', 'nopass', '+@all', ...patterns);
  const client = new Redis(privateRedis.url, { username: user, password: 'any', maxRetriesPerRequest: 1 });
  clients.push(client);
  return { crashing: store(client, prefix), healthy: store(admin, prefix) };
}

const ips = Array.from({ length: 24 }, (_, i) => `10.0.${i}.1`);

/** Sample i of a stream: record i of a Kafka partition. */
function record(i: number): Sample[] {
  const entity = ips[i % ips.length] as string;
  return [
    { metric: 'bytes', entity, ts: T0 + (i % 7) * 60, value: i + 1, token: i },
    { metric: 'lens', entity, ts: T0 + (i % 5) * 60, value: i, token: i },
    { metric: 'peers', entity, ts: T0, value: `p${i % 3}`, token: i },
  ];
}

async function snapshot(s: Store) {
  const out: unknown[] = [];
  for (const entity of ips) {
    for (const metric of ['bytes', 'lens', 'peers']) {
      out.push((await s.series({ metric, entity, interval: 'days', from: T0, to: T0 + 600 })).points);
    }
  }
  out.push(await s.top({ metric: 'bytes', interval: 'days', from: T0, to: T0 + 600, limit: 50 }));
  return out;
}


describe('fenced writes are effectively-once', () => {
  it('counts a replayed batch once', async () => {
    const s = store();
    const batch = [0, 1, 2, 3].flatMap(record);
    const first = await s.bulkInsert(batch, { fence: { scope: 'conn/0', token: 3 } });
    expect(first).toMatchObject({ written: batch.length, skipped: 0 });
    const before = await snapshot(s);
    const again = await s.bulkInsert(batch, { fence: { scope: 'conn/0', token: 3 } });
    expect(again).toMatchObject({ written: 0, skipped: batch.length });
    expect(await snapshot(s)).toEqual(before);
    expect(await s.fenceToken('conn/0')).toBe(3);
    expect(await s.fenceToken('conn/1')).toBeNull();
    const other = await s.bulkInsert(record(0), { fence: { scope: 'conn/1', token: 0 } });
    expect(other.written).toBe(3);
  });

  it('after a crash between shards, the replay applies exactly the shards that were missing', async () => {
    const reference = store();
    const batch = Array.from({ length: 40 }, (_, i) => i).flatMap(record);
    await reference.bulkInsert(batch, { fence: { scope: 'p', token: 39 } });

    const { crashing, healthy: s } = await crashingAt(ips[5] as string);
    const crash = await crashing.bulkInsert(batch, { fence: { scope: 'p', token: 39 } }).catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(BackendError);
    expect(crash).toMatchObject({ retriable: true });
    expect(await s.fenceToken('p')).toBeNull();
    expect(await snapshot(s)).not.toEqual(await snapshot(reference));

    const replay = await s.bulkInsert(batch, { fence: { scope: 'p', token: 39 } });
    expect(replay.skipped).toBeGreaterThan(0);
    expect(replay.written).toBeGreaterThan(0);
    expect(replay.written + replay.skipped).toBe(batch.length);
    expect(await snapshot(s)).toEqual(await snapshot(reference));
    expect(await s.fenceToken('p')).toBe(39);
  });

  it('with per-sample tokens, a replay cut into different batches is still exact', async () => {
    const reference = store();
    const all = Array.from({ length: 60 }, (_, i) => i).flatMap(record);
    await reference.bulkInsert(all, { fence: { scope: 'p', token: 59 } });

    const { crashing, healthy: s } = await crashingAt(ips[2] as string);
    const firstTry = Array.from({ length: 30 }, (_, i) => i).flatMap(record);
    await expect(crashing.bulkInsert(firstTry, { fence: { scope: 'p', token: 29 } })).rejects.toBeInstanceOf(BackendError);
    expect(await snapshot(s)).not.toEqual(await snapshot(store(admin)));
    // The consumer restarts from the last complete batch (none) and fetches differently.
    expect(await s.fenceToken('p')).toBeNull();
    for (const [from, to] of [
      [0, 11],
      [12, 44],
      [45, 59],
    ] as const) {
      const batch = Array.from({ length: to - from + 1 }, (_, i) => from + i).flatMap(record);
      await s.bulkInsert(batch, { fence: { scope: 'p', token: to } });
    }
    expect(await snapshot(s)).toEqual(await snapshot(reference));
    expect(await s.fenceToken('p')).toBe(59);
  });

  it('rejects a sample token above the batch token, writing nothing', async () => {
    const s = store();
    const error = await s.bulkInsert([...record(1), ...record(9)], { fence: { scope: 'p', token: 5 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSampleError);
    expect(error).toMatchObject({ field: 'token', index: 3 });
    expect(await s.newest()).toBeNull();
  });

  it('retries the compare-and-set when another write of the scope lands first, counting both once', async () => {
    const s = store();
    const a = [{ metric: 'bytes', entity: '10.9.0.1', ts: T0, value: 5 }];
    const b = [{ metric: 'bytes', entity: '10.9.0.1', ts: T0, value: 7 }];
    // both read the shard's fence before either writes: the second finds it moved and retries
    const [ra, rb] = await Promise.all([s.bulkInsert(a, { fence: { scope: 'race', token: 5 } }), s.bulkInsert(b, { fence: { scope: 'race', token: 6 } })]);
    expect(ra.written + rb.written).toBe(2);
    expect(ra.scripts + rb.scripts).toBe(3);
    expect((await s.get({ metric: 'bytes', entity: '10.9.0.1', interval: 'days', ts: T0 })).value).toBe(12);
    expect(await s.fenceToken('race')).toBe(6);
  });

  it('refuses to write past a fence that went back (Redis lost acknowledged writes) until the caller writes from the fence again', async () => {
    const reference = store();
    await reference.bulkInsert(Array.from({ length: 30 }, (_, i) => i).flatMap(record), { fence: { scope: 'p', token: 29 } });

    const prefix = uniquePrefix('behind');
    const s = store(admin, prefix);
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i).flatMap(record);
    await s.bulkInsert(range(0, 9), { fence: { scope: 'p', token: 9 } });
    // What an append-only file would keep if Redis crashed now...
    const kept = new Map<string, Buffer>();
    for (const key of await admin.keys(`{${prefix}*`)) kept.set(key, (await admin.dumpBuffer(key)) as Buffer);
    await s.bulkInsert(range(10, 19), { fence: { scope: 'p', token: 19 } });
    // ...and Redis comes back with it: records 10 to 19 are gone, the writer saw no error.
    await admin.del(...(await admin.keys(`{${prefix}*`)));
    for (const [key, dump] of kept) await admin.restore(key, 0, dump);
    expect(await s.fenceToken('p')).toBe(9);

    const behind = await s.bulkInsert(range(20, 29), { fence: { scope: 'p', token: 29 } }).catch((e: unknown) => e);
    expect(behind).toBeInstanceOf(StoreBehindError);
    expect(behind).toMatchObject({ scope: 'p', seen: 19, stored: 9, retriable: true });
    // The refused write changed nothing, and the store now takes the write that refills the gap.
    expect(await s.fenceToken('p')).toBe(9);
    await s.bulkInsert(range(10, 29), { fence: { scope: 'p', token: 29 } });
    expect(await snapshot(s)).toEqual(await snapshot(reference));
    expect(await s.fenceToken('p')).toBe(29);
  });

  it('refuses an aggregate over a fence that went back, as it refuses a batch', async () => {
    const prefix = uniquePrefix('behindagg');
    const s = store(admin, prefix);
    const aggregateOf = (from: number, to: number, into: Store = s) => {
      const aggregate = into.aggregate();
      for (let i = from; i <= to; i++) for (const sample of record(i)) aggregate.add(sample.metric, sample.entity, sample.ts, sample.value);
      return aggregate;
    };
    await s.writeAggregate(aggregateOf(0, 9), { fence: { scope: 'q', from: 0, token: 9 } });
    const kept = new Map<string, Buffer>();
    for (const key of await admin.keys(`{${prefix}*`)) kept.set(key, (await admin.dumpBuffer(key)) as Buffer);
    await s.writeAggregate(aggregateOf(10, 19), { fence: { scope: 'q', from: 10, token: 19 } });
    await admin.del(...(await admin.keys(`{${prefix}*`)));
    for (const [key, dump] of kept) await admin.restore(key, 0, dump);

    await expect(s.writeAggregate(aggregateOf(20, 29), { fence: { scope: 'q', from: 20, token: 29 } })).rejects.toBeInstanceOf(StoreBehindError);
    expect(await s.fenceToken('q')).toBe(9);
    // A store that never saw the lost writes cannot tell: only the writer that made them can.
    const fresh = createStore(admin, { prefix, shards: 8, metrics: METRICS });
    expect((await fresh.writeAggregate(aggregateOf(10, 29, fresh), { fence: { scope: 'q', from: 10, token: 29 } })).complete).toBe(true);
    expect(await fresh.fenceToken('q')).toBe(29);
  });

  it('marks an empty batch as applied, so consumption can move on', async () => {
    const s = store();
    await s.bulkInsert([], { fence: { scope: 'idle', token: 7 } });
    expect(await s.fenceToken('idle')).toBe(7);
  });
});
