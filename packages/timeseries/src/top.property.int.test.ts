import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { usePrivateRedis } from './testing/privateRedis';
import { createStore, type Sample, type StoreOptions } from './index';
import { resolveOptions } from './options';
import { ReferenceStore } from './testing/referenceStore';
import { dropPrefix } from './testing/redisFixture';

/**
 * `top` over many entities, where the threshold algorithm really stops early, against the
 * reference: random shard counts, chunk sizes, skewed (and tied) totals, ranges cutting chunks,
 * with and without kept sums, late writes and a delete between rankings.
 */

const T0 = 1_700_000_000 - (1_700_000_000 % 3600);
const db = usePrivateRedis('top');

const ip = (i: number) => (i % 5 === 0 ? `2001:db8::${i.toString(16)}` : `10.${(i >> 8) & 255}.${i & 255}.1`);

const scenario = fc.record({
  // 0: always threshold rounds; undefined: the default (one-pass sums for small ranges)
  scanLimit: fc.constantFrom(0, undefined, 1_000_000),
  // 0: every ranking sums its chunks; 300: sums of closed chunks are kept and reused
  cache: fc.constantFrom(0, 300),
  shards: fc.constantFrom(1, 4, 16),
  chunk: fc.constantFrom(1, 7, 60),
  entities: fc.integer({ min: 20, max: 400 }),
  skew: fc.constantFrom(0.5, 1, 2),
  ties: fc.boolean(),
  samples: fc.integer({ min: 200, max: 3000 }),
  seed: fc.integer({ min: 1, max: 1 << 30 }),
});

/** A small deterministic generator, so one fast-check seed gives one data set. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
    return x / 2 ** 32;
  };
}

describe('top agrees with the reference on many entities', () => {
  it('for random ranges, limits and offsets', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (sc) => {
        const prefix = db.prefix('k');
        const options: StoreOptions = {
          prefix,
          shards: sc.shards,
          metrics: { bytes: { type: 'count' }, sizes: { type: 'histogram', top: true } },
          intervals: { min: { step: 60, steps: 240, chunk: sc.chunk } },
          maxFutureSeconds: Infinity,
          topScanLimit: sc.scanLimit,
          topCacheSeconds: sc.cache,
        };
        const store = createStore(db.redis, options);
        const ref = new ReferenceStore(resolveOptions(options));
        const rand = lcg(sc.seed);
        const samples: Sample[] = [];
        for (let k = 0; k < sc.samples; k++) {
          // rank r gets weight ~ 1/r^skew: a few busy hosts, a long tail
          const r = Math.floor(sc.entities * rand() ** (1 + sc.skew));
          const entity = ip(r);
          const ts = T0 + Math.floor(rand() * 7200);
          const value = sc.ties ? 1 : 1 + Math.floor(rand() * 100);
          samples.push({ metric: 'bytes', entity, ts, value }, { metric: 'sizes', entity, ts, value: value % 7 });
        }
        for (let i = 0; i < samples.length; i += 500) await store.bulkInsert(samples.slice(i, i + 500));
        ref.insert(samples);
        for (let k = 0; k < 6; k++) {
          if (k === 3) {
            // late writes into old chunks (and a delete) between rankings: kept sums must not show stale totals
            const late: Sample[] = [];
            for (let j = 0; j < 40; j++) {
              const entity = ip(Math.floor(rand() * sc.entities));
              const ts = T0 + Math.floor(rand() * 7000);
              late.push({ metric: 'bytes', entity, ts, value: 1 + Math.floor(rand() * 300) }, { metric: 'sizes', entity, ts, value: j % 7 });
            }
            await store.bulkInsert(late);
            ref.insert(late);
            const gone = ip(Math.floor(rand() * sc.entities));
            await store.delete({ entity: gone });
            ref.delete(gone);
          }
          const from = T0 + Math.floor(rand() * 7300) - 50;
          const to = from + Math.floor(rand() * 7300);
          const limit = 1 + Math.floor(rand() * 40);
          const offset = Math.floor(rand() * 15);
          for (const metric of ['bytes', 'sizes']) {
            const q = { metric, interval: 'min', from, to, limit, offset };
            expect(await store.top(q)).toEqual(ref.top(q));
          }
        }
        await dropPrefix(db.redis, prefix);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 20) },
    );
  }, 600_000);
});

describe('top with edge chunks in values hashes too big for a listpack', () => {
  it('reads those hashes field by field and stays exact', async () => {
    const prefix = db.prefix('wide');
    const metrics = Array.from({ length: 10 }, (_, m) => `m${m}`);
    const options: StoreOptions = {
      prefix,
      shards: 2,
      metrics: Object.fromEntries(metrics.map((m) => [m, { type: 'count' as const }])),
      intervals: { min: { step: 60, steps: 240, chunk: 60 } },
      maxFutureSeconds: Infinity,
    };
    const store = createStore(db.redis, options);
    const ref = new ReferenceStore(resolveOptions(options));
    const rand = lcg(7);
    const samples: Sample[] = [];
    // 10 metrics x 60 buckets: 600 fields per values hash, past ipscope's listpack limit (512)
    for (let e = 0; e < 30; e++) {
      for (let minute = 0; minute < 120; minute++) {
        for (const metric of metrics) samples.push({ metric, entity: ip(e), ts: T0 + minute * 60, value: 1 + Math.floor(rand() * 50) });
      }
    }
    for (let i = 0; i < samples.length; i += 5000) await store.bulkInsert(samples.slice(i, i + 5000));
    ref.insert(samples);
    const keys = await db.redis.keys(`{${prefix}:*}v:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(await Promise.all(keys.map((k) => db.redis.object('ENCODING', k)))).toContain('hashtable');
    for (const [from, to] of [
      [T0 + 17 * 60, T0 + 95 * 60 + 59],
      [T0 + 50 * 60, T0 + 70 * 60],
      [T0 + 3 * 60, T0 + 58 * 60],
    ] as const) {
      const q = { metric: 'm3', interval: 'min', from, to, limit: 12, offset: 0 };
      expect(await store.top(q)).toEqual(ref.top(q));
    }
    await dropPrefix(db.redis, prefix);
  }, 120_000);
});
