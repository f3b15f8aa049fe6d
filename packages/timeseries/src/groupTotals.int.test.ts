import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { usePrivateRedis } from './testing/privateRedis';
import { createStore, InvalidQueryError, type Sample, type StoreOptions } from './index';
import { resolveOptions } from './options';
import { ReferenceStore } from './testing/referenceStore';
import { dropPrefix } from './testing/redisFixture';

/**
 * `groupTotals` (many entities' totals per group of buckets, summed inside Redis) against the
 * reference model's condensed series: count, series and histogram metrics, random shard counts,
 * chunk sizes, group widths and ranges (cutting chunks and groups, reaching past the data and
 * before the retained window), entities without data, and each line adding up to `top`'s value.
 */

const T0 = 1_700_000_000 - (1_700_000_000 % 3600);
const db = usePrivateRedis('group-totals');
const ip = (i: number) => (i % 4 === 0 ? `2001:db8::${(i + 1).toString(16)}` : `10.0.${i}.1`);

function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x / 2 ** 32;
  };
}

const scenario = fc.record({
  shards: fc.constantFrom(1, 3, 16),
  chunk: fc.constantFrom(1, 7, 60),
  entities: fc.integer({ min: 1, max: 40 }),
  samples: fc.integer({ min: 50, max: 1500 }),
  seed: fc.integer({ min: 1, max: 1 << 30 }),
});

describe('groupTotals', () => {
  it('agrees with the reference for count, series and histogram metrics', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (sc) => {
        const prefix = db.prefix('g');
        const options: StoreOptions = {
          prefix,
          shards: sc.shards,
          metrics: { bytes: { type: 'count' }, lens: { type: 'series' }, sizes: { type: 'histogram', top: true }, other: { type: 'count' } },
          // 200 steps kept: the data spans 240 minutes, so the oldest part is outside the retained window
          intervals: { min: { step: 60, steps: 200, chunk: sc.chunk } },
          maxFutureSeconds: Infinity,
        };
        const store = createStore(db.redis, options);
        const ref = new ReferenceStore(resolveOptions(options));
        const rand = lcg(sc.seed);
        const samples: Sample[] = [];
        for (let k = 0; k < sc.samples; k++) {
          const entity = ip(Math.floor(sc.entities * rand() ** 2));
          const ts = T0 + Math.floor(rand() * 14_400);
          const value = 1 + Math.floor(rand() * 1000);
          samples.push({ metric: 'bytes', entity, ts, value }, { metric: 'lens', entity, ts, value: value / 8 }, { metric: 'sizes', entity, ts, value: k % 5 }, { metric: 'other', entity, ts, value: 3 });
        }
        for (let i = 0; i < samples.length; i += 700) await store.bulkInsert(samples.slice(i, i + 700));
        ref.insert(samples);
        // every entity, plus one without data, in a shuffled order with a repeat
        const entities = [ip(sc.entities + 1), ...Array.from({ length: sc.entities }, (_, i) => ip(sc.entities - 1 - i)), ip(0)];
        for (let k = 0; k < 4; k++) {
          const from = T0 + Math.floor(rand() * 15_000) - 300;
          const to = from + Math.floor(rand() * 15_000);
          const group = 60 * [1, 5, 7, 60][Math.floor(rand() * 4)]!;
          for (const metric of ['bytes', 'lens', 'sizes']) {
            const got = await store.groupTotals({ metric, interval: 'min', entities, from, to, group });
            const g0 = Math.floor(Math.floor(from / 60) / (group / 60)) * group;
            expect(got.from).toBe(g0);
            expect(got.step).toBe(group);
            entities.forEach((entity, e) => {
              const want = ref.series({ metric, entity, interval: 'min', from, to, condenseSeconds: group, transform: metric === 'bytes' ? undefined : 'count' });
              expect(got.totals[e]).toEqual(want.map((p) => p.value));
              expect(want[0]?.ts).toBe(g0);
            });
            // a line adds up to the entity's top value over the same range
            const ranked = await store.top({ metric: metric === 'lens' ? 'bytes' : metric, interval: 'min', from, to, limit: 3 });
            for (const r of metric === 'lens' ? [] : ranked) {
              const row = got.totals[entities.indexOf(r.entity)]!;
              expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(r.value, 6);
            }
          }
        }
        await dropPrefix(db.redis, prefix);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 15) },
    );
  }, 600_000);

  it('reads values hashes too big for a listpack field by field', async () => {
    const prefix = db.prefix('wide');
    const metrics = Array.from({ length: 10 }, (_, m) => `m${m}`);
    const options: StoreOptions = { prefix, shards: 2, metrics: Object.fromEntries(metrics.map((m) => [m, { type: 'count' as const }])), intervals: { min: { step: 60, steps: 240, chunk: 60 } }, maxFutureSeconds: Infinity };
    const store = createStore(db.redis, options);
    const ref = new ReferenceStore(resolveOptions(options));
    const rand = lcg(3);
    const samples: Sample[] = [];
    // 10 metrics x 60 buckets: 600 fields per values hash, past ipscope's listpack limit (512)
    for (let e = 0; e < 6; e++) for (let minute = 0; minute < 130; minute++) for (const metric of metrics) samples.push({ metric, entity: ip(e), ts: T0 + minute * 60, value: 1 + Math.floor(rand() * 50) });
    await store.bulkInsert(samples);
    ref.insert(samples);
    const keys = await db.redis.keys(`{${prefix}:*}v:*`);
    expect(await Promise.all(keys.map((k) => db.redis.object('ENCODING', k)))).toContain('hashtable');
    const entities = Array.from({ length: 6 }, (_, e) => ip(e));
    const [from, to, group] = [T0 + 7 * 60, T0 + 125 * 60, 600];
    const got = await store.groupTotals({ metric: 'm4', interval: 'min', entities, from, to, group });
    entities.forEach((entity, e) => expect(got.totals[e]).toEqual(ref.series({ metric: 'm4', entity, interval: 'min', from, to, condenseSeconds: group }).map((p) => p.value)));
    await dropPrefix(db.redis, prefix);
  });

  it('rejects what it cannot total, saying why', async () => {
    const prefix = db.prefix('bad');
    const store = createStore(db.redis, { prefix, metrics: { bytes: { type: 'count' }, last: { type: 'gauge' } } });
    await store.bulkInsert([{ metric: 'bytes', entity: '10.0.0.1', ts: T0, value: 1 }]);
    const q = { metric: 'bytes', interval: 'days', entities: ['10.0.0.1'], from: T0, to: T0 + 3600, group: 600 };
    await expect(store.groupTotals({ ...q, metric: 'last' })).rejects.toThrow(/gauge; group totals add up/);
    await expect(store.groupTotals({ ...q, group: 90 })).rejects.toThrow(/group must be a whole multiple of interval days's bucket width \(60s\), got 90/);
    await expect(store.groupTotals({ ...q, entities: [] })).rejects.toThrow(/entities must be a list of 1 to 10000/);
    await expect(store.groupTotals({ ...q, entities: ['10.0.0.300'] })).rejects.toBeInstanceOf(InvalidQueryError);
    await expect(store.groupTotals({ ...q, from: T0 - 86_400 * 1000, group: 60 })).rejects.toThrow(/more than maxPoints/);
    expect((await store.groupTotals(q)).totals).toEqual([[1, 0, 0, 0, 0, 0, 0]]);
    await dropPrefix(db.redis, prefix);
  });
});
