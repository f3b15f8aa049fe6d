import { describe, expect, it } from 'vitest';
import { usePrivateRedis } from './testing/privateRedis';
import { createStore, type StoreOptions } from './index';
import { InvalidQueryError, InvalidSampleError, StoreError } from './errors';
import { keysOf } from './testing/redisFixture';

const T0 = 1_514_764_800; // 2018-01-01T00:00:00Z: old data must show, retention follows the data

const db = usePrivateRedis('store');

function store(options: Partial<StoreOptions> = {}) {
  const prefix = db.prefix();
  return createStore(db.redis, {
    prefix,
    metrics: {
      'conn.resp': { type: 'histogram' },
      bytes: { type: 'count' },
      rtt: { type: 'gauge' },
      dur: { type: 'series' },
      ports: { type: 'set' },
      peers: { type: 'hll' },
    },
    ...options,
  });
}

describe('writing and reading back', () => {
  it('sums counts per bucket, pre-aggregating a batch, and reads a 2018 capture', async () => {
    const s = store();
    const samples = Array.from({ length: 300 }, (_, i) => ({ metric: 'bytes', entity: '10.0.0.1', ts: T0 + (i % 3) * 60 + 5, value: i }));
    const r = await s.bulkInsert(samples);
    expect(r).toMatchObject({ written: 300, skipped: 0, dropped: 0 });
    const sum = (k: number) => samples.filter((_, i) => i % 3 === k).reduce((a, x) => a + x.value, 0);
    const series = await s.series({ metric: 'bytes', entity: '10.0.0.1', interval: 'days', from: T0 - 60, to: T0 + 180 });
    expect(series.points).toEqual([
      { ts: T0 - 60, value: 0 },
      { ts: T0, value: sum(0) },
      { ts: T0 + 60, value: sum(1) },
      { ts: T0 + 120, value: sum(2) },
      { ts: T0 + 180, value: 0 },
    ]);
    expect(await s.get({ metric: 'bytes', entity: '10.0.0.1', interval: 'months', ts: T0 + 100 })).toEqual({ ts: T0, value: sum(0) + sum(1) + sum(2) });
    expect(await s.newest()).toBe(T0 + 125);
  });

  it('keeps one series per host whatever the spelling of its address', async () => {
    const s = store();
    await s.bulkInsert([
      { metric: 'bytes', entity: '::ffff:10.0.0.1', ts: T0, value: 1 },
      { metric: 'bytes', entity: '10.0.0.1', ts: T0, value: 2 },
      { metric: 'bytes', entity: '2001:DB8::1', ts: T0, value: 10 },
      { metric: 'bytes', entity: '2001:db8:0:0:0:0:0:1', ts: T0, value: 20 },
    ]);
    expect(await s.get({ metric: 'bytes', entity: '10.0.0.1', interval: 'days', ts: T0 })).toEqual({ ts: T0, value: 3 });
    expect(await s.get({ metric: 'bytes', entity: '2001:db8::1', interval: 'days', ts: T0 })).toEqual({ ts: T0, value: 30 });
    expect((await s.entities({ metric: 'bytes' })).sort()).toEqual(['10.0.0.1', '2001:db8::1']);
  });

  it('stores every type with its own semantics', async () => {
    const s = store();
    const e = '192.168.1.7';
    await s.bulkInsert([
      { metric: 'rtt', entity: e, ts: T0 + 1, value: 3.5 },
      { metric: 'rtt', entity: e, ts: T0 + 2, value: -1.25 },
      { metric: 'dur', entity: e, ts: T0 + 1, value: 0.5 },
      { metric: 'dur', entity: e, ts: T0 + 2, value: 2 },
      { metric: 'dur', entity: e, ts: T0 + 3, value: 0.5 },
      { metric: 'conn.resp', entity: e, ts: T0, value: 80 },
      { metric: 'conn.resp', entity: e, ts: T0, value: 443 },
      { metric: 'conn.resp', entity: e, ts: T0, value: 443 },
      { metric: 'ports', entity: e, ts: T0, value: 'tcp/80' },
      { metric: 'ports', entity: e, ts: T0, value: 'tcp/80' },
      { metric: 'ports', entity: e, ts: T0, value: 'a:b:c' },
      ...Array.from({ length: 50 }, (_, i) => ({ metric: 'peers', entity: e, ts: T0, value: `10.1.0.${i % 40}` })),
    ]);
    await s.insert({ metric: 'dur', entity: e, ts: T0 + 4, value: 7 });
    const get = (metric: string) => s.get({ metric, entity: e, interval: 'days', ts: T0 });
    expect((await get('rtt')).value).toBe(-1.25);
    expect((await get('dur')).value).toEqual([0.5, 2, 0.5, 7]);
    expect((await get('conn.resp')).value).toEqual({ 80: 1, 443: 2 });
    await s.bulkInsert(['SF', 'S0', 'SF', 'tcp:443'].map((value) => ({ metric: 'conn.resp', entity: e, ts: T0 + 120, value })));
    const labels = await s.get({ metric: 'conn.resp', entity: e, interval: 'days', ts: T0 + 120 });
    expect(labels.value).toEqual({ SF: 2, S0: 1, 'tcp:443': 1 });
    expect(Object.keys(labels.value as object)).toEqual(['S0', 'SF', 'tcp:443']);
    await expect(s.series({ metric: 'conn.resp', entity: e, interval: 'days', from: T0, to: T0 + 120, collapse: true, transform: 'p50' })).rejects.toThrow(/label/);
    expect((await s.series({ metric: 'conn.resp', entity: e, interval: 'days', from: T0, to: T0 + 120, collapse: true, transform: 'count' })).points[0]?.value).toBe(7);
    expect((await get('ports')).value).toEqual(['a:b:c', 'tcp/80']);
    expect((await get('peers')).value).toBe(40);
    expect((await s.get({ metric: 'rtt', entity: e, interval: 'days', ts: T0 + 60 })).value).toBeNull();
  });

  it('adds a histogram sample\'s weight to its value\'s count; a weight of 0 writes nothing', async () => {
    const s = store();
    const e = '10.2.0.1';
    const bytes = (peer: string, ts: number, weight: number) => ({ metric: 'conn.resp', entity: e, ts, value: peer, weight });
    const r = await s.bulkInsert([bytes('10.9.0.1', T0, 1500), bytes('10.9.0.2', T0 + 5, 40), bytes('10.9.0.1', T0 + 70, 2500), bytes('10.9.0.3', T0 + 9, 0), { metric: 'conn.resp', entity: e, ts: T0, value: '10.9.0.2' }]);
    expect(r.written).toBe(4);
    expect((await s.get({ metric: 'conn.resp', entity: e, interval: 'days', ts: T0 })).value).toEqual({ '10.9.0.1': 1500, '10.9.0.2': 41 });
    const whole = await s.series({ metric: 'conn.resp', entity: e, interval: 'months', from: T0, to: T0 + 70, collapse: true });
    expect(whole.points[0]?.value).toEqual({ '10.9.0.1': 4000, '10.9.0.2': 41 });
    // a batch of weight 0 only leaves the store untouched, newest time included
    const only = store();
    expect((await only.bulkInsert([bytes('10.9.0.3', T0, 0)])).written).toBe(0);
    expect(await only.newest()).toBeNull();
    expect(await keysOf(db.redis, only.config.prefix)).toEqual([]);
  });

  it('stores labels and members that hold newlines and backslashes exactly, beside plain ones in one batch', async () => {
    const s = store();
    const e = '10.2.0.2';
    const odd = ['a\nb', '\n', 'x\\ny', 'tail\n\n'];
    const samples = [
      ...odd.map((value, i) => ({ metric: 'conn.resp', entity: e, ts: T0 + i, value })),
      { metric: 'conn.resp', entity: e, ts: T0, value: 'plain' },
      ...odd.map((value, i) => ({ metric: 'ports', entity: e, ts: T0 + i, value })),
      ...odd.map((value, i) => ({ metric: 'peers', entity: e, ts: T0 + i, value })),
      { metric: 'peers', entity: e, ts: T0, value: 'a' },
      { metric: 'bytes', entity: e, ts: T0, value: 7 },
    ];
    expect((await s.bulkInsert(samples)).written).toBe(samples.length);
    const get = async (metric: string) => (await s.get({ metric, entity: e, interval: 'days', ts: T0 })).value;
    expect(await get('conn.resp')).toEqual({ 'a\nb': 1, '\n': 1, 'x\\ny': 1, 'tail\n\n': 1, plain: 1 });
    expect(await get('ports')).toEqual([...odd].sort());
    expect(await get('peers')).toBe(5);
    expect(await get('bytes')).toBe(7);
    // written again: the histogram counts add up, the set and the hll stay as they are
    await s.bulkInsert(samples);
    expect(await get('conn.resp')).toEqual({ 'a\nb': 2, '\n': 2, 'x\\ny': 2, 'tail\n\n': 2, plain: 2 });
    expect(await get('peers')).toBe(5);
  });

  it('reads histogram labels and set members in any script (multi-byte UTF-8, a colon) through series exactly', async () => {
    const s = store();
    const e = '10.2.0.3';
    const labels = ['é', '日本', 'a:b', '🙂x', 'plain'];
    const samples = [
      ...labels.map((value, i) => ({ metric: 'conn.resp', entity: e, ts: T0 + 60 * i, value })),
      ...labels.map((value, i) => ({ metric: 'ports', entity: e, ts: T0 + 60 * i, value })),
      { metric: 'conn.resp', entity: e, ts: T0, value: 'é' },
    ];
    expect((await s.bulkInsert(samples)).written).toBe(samples.length);
    const read = async (metric: string) => (await s.series({ metric, entity: e, interval: 'days', from: T0, to: T0 + 60 * labels.length - 1 })).points.map((p) => p.value);
    expect(await read('conn.resp')).toEqual([{ é: 2 }, { 日本: 1 }, { 'a:b': 1 }, { '🙂x': 1 }, { plain: 1 }]);
    expect(await read('ports')).toEqual([['é'], ['日本'], ['a:b'], ['🙂x'], ['plain']]);
  });

  it('applies transforms after condensing, and collapses a range', async () => {
    const s = store({ intervals: { fine: { step: '1h', steps: 48, resolution: '1m' } } });
    const e = '10.9.9.9';
    await s.bulkInsert([
      { metric: 'dur', entity: e, ts: T0, value: 1 },
      { metric: 'dur', entity: e, ts: T0 + 60, value: 3 },
      { metric: 'dur', entity: e, ts: T0 + 120, value: 8 },
      { metric: 'dur', entity: e, ts: T0 + 3600, value: 4 },
      { metric: 'bytes', entity: e, ts: T0, value: 120 },
      { metric: 'bytes', entity: e, ts: T0 + 3660, value: 60 },
    ]);
    const q = { metric: 'dur', entity: e, interval: 'fine', from: T0, to: T0 + 7199 };
    const mean = await s.series({ ...q, condense: true, transform: 'mean' });
    expect(mean.step).toBe(3600);
    expect(mean.points).toEqual([
      { ts: T0, value: 4 },
      { ts: T0 + 3600, value: 4 },
    ]);
    expect((await s.series({ ...q, collapse: true, transform: 'p50' })).points).toEqual([{ ts: T0, value: 3 }]);
    expect((await s.series({ ...q, collapse: true, transform: 'max' })).points).toEqual([{ ts: T0, value: 8 }]);
    expect((await s.series({ ...q, collapse: true })).points).toEqual([{ ts: T0, value: [1, 3, 8, 4] }]);
    const rate = await s.series({ metric: 'bytes', entity: e, interval: 'fine', from: T0, to: T0 + 7199, condense: '30m', transform: 'rate' });
    expect(rate.points.map((p) => p.value)).toEqual([120 / 1800, 0, 60 / 1800, 0]);
    const last = await s.series({ metric: 'bytes', entity: e, interval: 'fine', last: 1, condense: true });
    expect(last.points).toEqual([{ ts: T0 + 3600, value: 60 }]);
  });
});

describe('retention follows the newest data', () => {
  it('hides buckets that newer data pushed out of the window, then deletes their chunks', async () => {
    const s = store({ intervals: { short: { step: 60, steps: 10 } } });
    await s.bulkInsert([
      { metric: 'bytes', entity: '10.0.0.1', ts: T0, value: 5 },
      { metric: 'peers', entity: '10.0.0.1', ts: T0, value: 'x' },
      { metric: 'bytes', entity: '10.0.0.2', ts: T0 + 540, value: 7 },
    ]);
    expect((await s.get({ metric: 'bytes', entity: '10.0.0.1', interval: 'short', ts: T0 })).value).toBe(5);
    expect(await s.countEntities({ metric: 'bytes' })).toBe(2);
    // One step later the bucket at T0 is the 11th step back: hidden at once (bucket precision).
    await s.insert({ metric: 'bytes', entity: '10.0.0.2', ts: T0 + 600, value: 1 });
    expect((await s.get({ metric: 'bytes', entity: '10.0.0.1', interval: 'short', ts: T0 })).value).toBe(0);
    expect((await s.get({ metric: 'peers', entity: '10.0.0.1', interval: 'short', ts: T0 })).value).toBe(0);
    expect((await s.get({ metric: 'bytes', entity: '10.0.0.2', interval: 'short', ts: T0 + 540 })).value).toBe(7);
    expect(await s.entities({ metric: 'bytes' })).toEqual(['10.0.0.2']);
    expect(await s.entities()).toEqual(['10.0.0.2']);
    expect(await s.properties({ metric: 'bytes', entity: '10.0.0.1' })).toEqual({ short: null });
    expect(await s.properties({ metric: 'bytes', entity: '10.0.0.2' })).toEqual({ short: { first: T0 + 540, last: T0 + 600 } });
    // Keys go when their whole chunk (1 hour of this interval) has expired.
    await s.insert({ metric: 'bytes', entity: '10.0.0.2', ts: T0 + 7200, value: 1 });
    expect(await s.trim()).toBeGreaterThanOrEqual(3);
    const left = await keysOf(db.redis, s.config.prefix);
    expect(left.filter((k) => k.includes(':0a000001:') || k.endsWith(':420768'))).toEqual([]);
    expect(left.some((k) => k.includes(':0a000002:short:420770'))).toBe(true);
    const late = await s.insert({ metric: 'bytes', entity: '10.0.0.3', ts: T0 + 5, value: 1 });
    expect(late).toMatchObject({ written: 0, dropped: 1 });
  });
});

describe('invalid input', () => {
  const good = { metric: 'bytes', entity: '10.0.0.1', ts: T0, value: 1 };
  it.each([
    [{ ...good, metric: 'nope' }, 'metric'],
    [{ ...good, entity: '10.0.0.256' }, 'entity'],
    [{ ...good, entity: 'fe80::1%eth0' }, 'entity'],
    [{ ...good, ts: Number.NaN }, 'ts'],
    [{ ...good, ts: Date.now() }, 'ts'],
    [{ ...good, value: -1 }, 'value'],
    [{ ...good, value: Number.POSITIVE_INFINITY }, 'value'],
    [{ ...good, value: 1.5 }, 'value'],
    [{ ...good, value: '3' }, 'value'],
    [{ ...good, metric: 'rtt', value: Number.NaN }, 'value'],
    [{ ...good, metric: 'ports', value: '' }, 'value'],
    [{ ...good, weight: 2 }, 'weight'],
    [{ ...good, metric: 'conn.resp', value: 443, weight: -1 }, 'weight'],
    [{ ...good, metric: 'conn.resp', value: 443, weight: 1.5 }, 'weight'],
    [{ ...good, metric: 'conn.resp', value: 443, weight: Number.NaN }, 'weight'],
    [{ ...good, metric: 'conn.resp', value: 443, weight: Number.POSITIVE_INFINITY }, 'weight'],
    [{ ...good, metric: 'conn.resp', value: 443, weight: '7' }, 'weight'],
  ])('rejects %o naming the field, and writes nothing of the batch', async (bad, field) => {
    const s = store();
    const batch = [good, good, bad, good];
    const error = await s.bulkInsert(batch as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSampleError);
    expect(error).toMatchObject({ index: 2, field, retriable: false, code: 'INVALID_SAMPLE' });
    expect(await keysOf(db.redis, s.config.prefix)).toEqual([]);
  });

  it('refuses a weighted histogram count that would pass 2^53 within a batch, writing nothing', async () => {
    const s = store({ shards: 1 });
    const h = { metric: 'conn.resp', entity: '10.0.0.1', ts: T0, value: '10.0.0.9' };
    const error = await s.bulkInsert([{ ...good }, { ...h, weight: Number.MAX_SAFE_INTEGER - 1 }, { ...h, weight: 5 }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSampleError);
    expect(error).toMatchObject({ index: 2, field: 'weight' });
    expect((await s.get({ metric: 'conn.resp', entity: '10.0.0.1', interval: 'days', ts: T0 })).value).toEqual({});
    expect((await s.get({ metric: 'bytes', entity: '10.0.0.1', interval: 'days', ts: T0 })).value).toBe(0);
    expect(await s.entities()).toEqual([]);
  });

  it('refuses a count that would pass 2^53, writing nothing of that shard', async () => {
    const s = store({ shards: 1 });
    await s.insert({ ...good, value: Number.MAX_SAFE_INTEGER - 1 });
    const error = await s.bulkInsert([{ ...good, entity: '10.0.0.2', value: 3 }, { ...good, value: 5 }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'OVERFLOW', retriable: false });
    expect((await s.get({ metric: 'bytes', entity: '10.0.0.1', interval: 'days', ts: T0 })).value).toBe(Number.MAX_SAFE_INTEGER - 1);
    expect((await s.get({ metric: 'bytes', entity: '10.0.0.2', interval: 'days', ts: T0 })).value).toBe(0);
  });

  it('rejects unknown metrics, intervals, transforms and bad ranges in reads', async () => {
    const s = store();
    const q = { metric: 'bytes', entity: '10.0.0.1', interval: 'days' };
    await expect(s.series({ ...q, metric: 'x' })).rejects.toBeInstanceOf(InvalidQueryError);
    await expect(s.series({ ...q, interval: 'weeks' })).rejects.toThrow(/not an interval of metric "bytes"/);
    await expect(s.series({ ...q, transform: 'p50' })).rejects.toThrow(/does not apply to count/);
    await expect(s.series({ ...q, from: 10, to: 5 })).rejects.toThrow(/after to/);
    await expect(s.series({ ...q, from: 0, to: 1e9 })).rejects.toThrow(/maxPoints/);
    await expect(s.top({ metric: 'rtt', interval: 'days' })).rejects.toThrow(/top ranks count/);
    const e = await s.series({ ...q, entity: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StoreError);
  });
});

describe('entity listing, top and delete', () => {
  it('lists entities most recently active first, in pages that add up', async () => {
    const s = store({ shards: 5 });
    const ips = Array.from({ length: 30 }, (_, i) => `172.16.${i}.1`);
    await s.bulkInsert(ips.map((entity, i) => ({ metric: 'bytes', entity, ts: T0 + (i % 10) * 60, value: 1 })));
    await s.insert({ metric: 'rtt', entity: '2001:db8::99', ts: T0 + 5000, value: 1 });
    const all = await s.entities({ metric: 'bytes', limit: 100 });
    expect(all).toHaveLength(30);
    expect(all.slice(0, 3)).toEqual(['172.16.9.1', '172.16.19.1', '172.16.29.1']); // ties in address order
    const pages = [];
    for (let offset = 0; offset < 30; offset += 7) pages.push(...(await s.entities({ metric: 'bytes', offset, limit: 7 })));
    expect(pages).toEqual(all);
    expect(await s.countEntities({ metric: 'bytes' })).toBe(30);
    expect(await s.countEntities()).toBe(31);
    expect((await s.entities())[0]).toBe('2001:db8::99');
  });

  it('ranks the busiest entities exactly over a range cutting chunks', async () => {
    const s = store();
    const samples = [];
    for (let i = 0; i < 50; i++) {
      for (let m = 0; m < 90; m += 1 + (i % 4)) samples.push({ metric: 'bytes', entity: `10.1.0.${i}`, ts: T0 + m * 60, value: i + m });
    }
    await s.bulkInsert(samples);
    const from = T0 + 25 * 60 + 7;
    const to = T0 + 75 * 60;
    const totals = new Map<string, number>();
    for (const x of samples) if (x.ts >= T0 + 25 * 60 && x.ts < to + 60) totals.set(x.entity, (totals.get(x.entity) ?? 0) + x.value);
    const expected = [...totals].sort((a, b) => b[1] - a[1]).map(([entity, value]) => ({ entity, value }));
    expect(await s.top({ metric: 'bytes', interval: 'days', from, to, limit: 10 })).toEqual(expected.slice(0, 10));
    expect(await s.top({ metric: 'bytes', interval: 'days', from, to, limit: 5, offset: 10 })).toEqual(expected.slice(10, 15));
  });

  it('deletes one series, or all series of an entity, with their index entries', async () => {
    const s = store();
    const e = '10.7.7.7';
    await s.bulkInsert([
      { metric: 'bytes', entity: e, ts: T0, value: 9 },
      { metric: 'peers', entity: e, ts: T0, value: 'a' },
      { metric: 'ports', entity: e, ts: T0 + 60, value: 'tcp/22' },
      { metric: 'bytes', entity: '10.7.7.8', ts: T0, value: 1 },
    ]);
    expect(await s.delete({ entity: e, metric: 'bytes' })).toBe(2);
    expect((await s.get({ metric: 'bytes', entity: e, interval: 'days', ts: T0 })).value).toBe(0);
    expect(await s.top({ metric: 'bytes', interval: 'days', limit: 5 })).toEqual([{ entity: '10.7.7.8', value: 1 }]);
    expect(await s.entities({ metric: 'bytes' })).toEqual(['10.7.7.8']);
    expect(await s.entities()).toContain(e);
    expect((await s.get({ metric: 'peers', entity: e, interval: 'days', ts: T0 })).value).toBe(1);
    expect(await s.delete({ entity: e })).toBe(6);
    expect(await s.entities()).toEqual(['10.7.7.8']);
    expect((await keysOf(db.redis, s.config.prefix)).filter((k) => k.includes('0a070707'))).toEqual([]);
  });
});
