import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { usePrivateRedis } from './testing/privateRedis';
import { createStore, type Sample, type Store, type StoreOptions } from './index';
import { InvalidQueryError, InvalidSampleError } from './errors';
import type { MetricType } from './options';
import { dropPrefix, keysOf } from './testing/redisFixture';

/**
 * The aggregate path (store.aggregate + writeAggregate) must leave Redis exactly as bulkInsert
 * of the same samples does: every key, field, member and score, indexes and fences included.
 */

const T0 = 1_514_764_800;
const ENTITIES = ['10.0.0.1', '::ffff:10.0.0.1', '10.0.0.2', '2001:db8::1', '2001:DB8:0:0::1', '192.168.7.9', 'fe80::a'];
const TYPES: MetricType[] = ['count', 'gauge', 'series', 'histogram', 'set', 'hll'];

const db = usePrivateRedis('aggregate');

/** Every key of a prefix with its content, the prefix replaced by `P` so two prefixes compare. */
async function dump(prefix: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of await keysOf(db.redis, prefix)) {
    const name = key.replace(`{${prefix}`, '{P');
    const type = await db.redis.type(key);
    // write generations count from the server clock (seriesGeneration.ts): which entities have one must agree
    if (type === 'hash' && /\}g(:[0-9a-f])?$/.test(key)) out[name] = Object.keys(await db.redis.hgetall(key)).sort();
    else if (type === 'hash') out[name] = Object.entries(await db.redis.hgetall(key)).sort();
    else if (type === 'zset') out[name] = await db.redis.zrange(key, 0, -1, 'WITHSCORES');
    else if (type === 'set') out[name] = (await db.redis.smembers(key)).sort();
    else if (key.includes('}hb:')) out[name] = ['hll', await db.redis.pfcount(key)];
    else out[name] = [type, await db.redis.get(key)];
  }
  return out;
}

function options(prefix: string, shards: number, metricIntervals: readonly (readonly string[])[]): StoreOptions {
  const metrics: StoreOptions['metrics'] = {};
  TYPES.forEach((type, i) => {
    metrics[type] = { type, intervals: [...(metricIntervals[i] ?? ['fine'])], top: type === 'histogram' || type === 'series' ? true : undefined };
  });
  return {
    prefix,
    shards,
    metrics,
    intervals: { fine: { step: 60, steps: 30, chunk: 4 }, coarse: { step: 300, steps: 6, resolution: 150, chunk: 2 } },
    maxFutureSeconds: Infinity,
  };
}

function pair(shards: number, metricIntervals: readonly (readonly string[])[]): { viaSamples: Store; viaAggregate: Store; a: string; b: string } {
  const a = db.prefix('s');
  const b = db.prefix('g');
  return { viaSamples: createStore(db.redis, options(a, shards, metricIntervals)), viaAggregate: createStore(db.redis, options(b, shards, metricIntervals)), a, b };
}

function aggregateOf(store: Store, samples: readonly Sample[]) {
  const agg = store.aggregate();
  for (const s of samples) agg.add(s.metric, s.entity, s.ts, s.value, s.weight);
  return agg;
}

function valueArb(type: MetricType): fc.Arbitrary<number | string> {
  switch (type) {
    case 'count':
      return fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(1));
    case 'gauge':
    case 'series':
    case 'histogram':
      return fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constantFrom(0.5, -1.75, 'SF', 'tcp/443'));
    case 'set':
    case 'hll':
      return fc.oneof(fc.constantFrom('a', 'b', 'd:e', '10.1.2.3'), fc.constantFrom(1, 2));
  }
}

const sampleArb: fc.Arbitrary<Sample> = fc.constantFrom(...TYPES).chain((type) =>
  fc.record({
    metric: fc.constant(type),
    entity: fc.constantFrom(...ENTITIES),
    ts: fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 50 }).map((k) => k * 60 - 1), fc.integer({ min: 0, max: 3000 }).map((k) => k + 0.25)),
    value: valueArb(type).filter((v) => type !== 'gauge' && type !== 'series' ? true : typeof v === 'number'),
  }).chain((sample) =>
    type === 'histogram'
      ? fc.option(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1000, max: 1_000_000 })), { nil: undefined }).map((weight) => (weight === undefined ? sample : { ...sample, weight }))
      : fc.constant(sample),
  ),
);

const batchArb = fc.record({
  // jumps forward expire data; jumps back write old captures (partly dropped by retention)
  offset: fc.constantFrom(0, 0, 600, 1800, 3600, -1800),
  samples: fc.array(sampleArb, { minLength: 0, maxLength: 60, size: 'max' }),
  replay: fc.boolean(),
});

describe('writeAggregate', () => {
  it('leaves Redis exactly as bulkInsert of the same samples (random batches, retention, replays)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(1, 3, 8),
        fc.array(fc.constantFrom(['fine'], ['coarse'], ['fine', 'coarse']), { minLength: 6, maxLength: 6 }),
        fc.array(batchArb, { minLength: 1, maxLength: 6 }),
        async (shards, metricIntervals, batches) => {
          const { viaSamples, viaAggregate, a, b } = pair(shards, metricIntervals);
          let base = T0 + 4000;
          let token = 0;
          for (const batch of batches) {
            base += batch.offset;
            const samples = batch.samples.map((s) => ({ ...s, ts: base + s.ts }));
            const from = token + 1;
            token += Math.max(1, samples.length);
            const fence = { scope: 'part/0', token };
            const bySamples = await viaSamples.bulkInsert(samples, { fence });
            const byAggregate = await viaAggregate.writeAggregate(aggregateOf(viaAggregate, samples), { fence: { ...fence, from } });
            expect(byAggregate.complete).toBe(true);
            expect(byAggregate.written + byAggregate.dropped).toBe(bySamples.written + bySamples.dropped);
            if (batch.replay) {
              // Both replay: a write that touches few shards also trims one other shard, in turn,
              // so both stores must see the same writes to trim the same shards.
              const again = await viaAggregate.writeAggregate(aggregateOf(viaAggregate, samples), { fence: { ...fence, from } });
              expect(again.written).toBe(0);
              // a histogram sample of weight 0 is neither written nor skipped: it adds nothing
              expect(again.skipped).toBe(samples.filter((s) => s.weight !== 0).length);
              expect((await viaSamples.bulkInsert(samples, { fence })).written).toBe(0);
            }
            expect(await dump(b)).toEqual(await dump(a));
          }
          expect(await viaAggregate.fenceToken('part/0')).toBe(token);
          await dropPrefix(db.redis, a);
          await dropPrefix(db.redis, b);
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 25), examples: [[8, [['fine'], ['fine'], ['fine'], ['fine'], ['fine'], ['fine']], [{ offset: 0, samples: [{ metric: 'set', entity: '192.168.7.9', ts: 0.25, value: 'a' }], replay: true }, { offset: 0, samples: [{ metric: 'set', entity: '10.0.0.1', ts: 1760, value: 'a' }], replay: false }]]] },
    );
  }, 300_000);

  it('writes the same contents without a fence, for a realistic batch', async () => {
    const { viaSamples, viaAggregate, a, b } = pair(4, [['fine', 'coarse'], ['fine'], ['coarse'], ['fine', 'coarse'], ['fine'], ['fine', 'coarse']]);
    const samples: Sample[] = [];
    for (let i = 0; i < 3000; i++) {
      const type = TYPES[i % TYPES.length] as MetricType;
      const value = type === 'count' ? i % 7 : type === 'set' || type === 'hll' ? `10.9.${i % 13}.${i % 5}` : type === 'histogram' ? ['SF', 'S0', 443][i % 3] as string | number : (i % 11) - 3;
      samples.push({ metric: type, entity: `10.1.${i % 17}.${i % 3}`, ts: T0 + 3600 + (i % 900) + 0.5, value });
    }
    const r1 = await viaSamples.bulkInsert(samples);
    const r2 = await viaAggregate.writeAggregate(aggregateOf(viaAggregate, samples));
    expect(r2.written).toBe(r1.written);
    expect(r2.written).toBe(3000);
    expect(Object.keys(await dump(b)).length).toBeGreaterThan(50);
    expect(await dump(b)).toEqual(await dump(a));
  });

  it('reports a batch that partly overlaps what a shard holds, and bulkInsert then completes it exactly', async () => {
    const intervals = [['fine', 'coarse'], ['fine'], ['fine'], ['fine'], ['fine'], ['fine']];
    const { viaSamples: reference, viaAggregate: store, a, b } = pair(8, intervals);
    // record k of a partition: one count sample of IP k % 12
    const record = (k: number): Sample => ({ metric: 'count', entity: `10.0.${k % 12}.1`, ts: T0 + 4000 + k, value: k + 1, token: k });
    const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => record(lo + i));
    // the reference applies offsets 0..9 then 10..19
    await reference.bulkInsert(range(0, 9), { fence: { scope: 't/0', token: 9 } });
    await reference.bulkInsert(range(10, 19), { fence: { scope: 't/0', token: 19 } });
    // the store applied 0..9, then is offered 5..19 as one aggregate (a batch cut differently)
    await store.bulkInsert(range(0, 9), { fence: { scope: 't/0', token: 9 } });
    const first = await store.writeAggregate(aggregateOf(store, range(5, 19)), { fence: { scope: 't/0', token: 19, from: 5 } });
    expect(first.complete).toBe(false);
    expect(await store.fenceToken('t/0')).toBe(9);
    const rest = await store.bulkInsert(range(5, 19), { fence: { scope: 't/0', token: 19 } });
    expect(rest.written).toBeGreaterThan(0);
    expect(await store.fenceToken('t/0')).toBe(19);
    expect(await dump(b)).toEqual(await dump(a));
    // and once complete, the aggregate of the same batch is skipped entirely
    const again = await store.writeAggregate(aggregateOf(store, range(5, 19)), { fence: { scope: 't/0', token: 19, from: 5 } });
    expect(again).toMatchObject({ complete: true, written: 0, skipped: 15 });
    expect(await dump(b)).toEqual(await dump(a));
  });

  it('refuses bad observations with a typed error and keeps the aggregate unchanged', async () => {
    const { viaSamples, viaAggregate, a, b } = pair(2, [['fine'], ['fine'], ['fine'], ['fine'], ['fine'], ['fine']]);
    const agg = viaAggregate.aggregate();
    agg.add('count', '10.0.0.1', T0 + 10, 5);
    agg.add('count', '10.0.0.1', T0 + 11, Number.MAX_SAFE_INTEGER - 10);
    const bad: [string, string, number, number | string, string, number?][] = [
      ['nope', '10.0.0.1', T0, 1, 'metric'],
      ['count', '10.0.0.256', T0, 1, 'entity'],
      ['count', '10.0.0.1', Number.NaN, 1, 'ts'],
      ['count', '10.0.0.1', T0 * 1000, 1, 'ts'],
      ['count', '10.0.0.1', T0, -1, 'value'],
      ['count', '10.0.0.1', T0, 1.5, 'value'],
      ['count', '10.0.0.1', T0, 'x', 'value'],
      ['count', '10.0.0.1', T0 + 12, 100, 'value'], // the bucket would pass 2^53
      ['gauge', '10.0.0.1', T0, Number.POSITIVE_INFINITY, 'value'],
      ['histogram', '10.0.0.1', T0, '', 'value'],
      ['hll', '10.0.0.1', T0, 'm'.repeat(513), 'value'],
      ['count', '10.0.0.1', T0, 1, 'weight', 2],
      ['histogram', '10.0.0.1', T0, 'SF', 'weight', -1],
      ['histogram', '10.0.0.1', T0, 'SF', 'weight', 0.5],
      ['histogram', '10.0.0.1', T0, 'SF', 'weight', Number.NaN],
      ['histogram', '10.0.0.256', T0, 'SF', 'entity', 0],
    ];
    for (const [metric, entity, ts, value, field, weight] of bad) {
      let caught: unknown;
      try {
        agg.add(metric, entity, ts, value, weight);
      } catch (error) {
        caught = error;
      }
      expect(caught, `${metric} ${entity} ${ts} ${value}`).toBeInstanceOf(InvalidSampleError);
      expect((caught as InvalidSampleError).message).toContain(field);
      expect(agg.size).toBe(2);
    }
    await viaAggregate.writeAggregate(agg);
    await viaSamples.bulkInsert([
      { metric: 'count', entity: '10.0.0.1', ts: T0 + 10, value: 5 },
      { metric: 'count', entity: '10.0.0.1', ts: T0 + 11, value: Number.MAX_SAFE_INTEGER - 10 },
    ]);
    expect(await dump(b)).toEqual(await dump(a));
    await expect(viaSamples.writeAggregate(agg)).rejects.toBeInstanceOf(InvalidQueryError);
    await expect(viaAggregate.writeAggregate(viaAggregate.aggregate(), { fence: { scope: 'x', token: 3, from: 4 } })).rejects.toBeInstanceOf(InvalidQueryError);
  });
});
