import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REDIS_DEFAULT_ENCODINGS, usePrivateRedis } from './testing/privateRedis';
import { createStore, type Sample, type StoreOptions } from './index';
import { resolveOptions, type MetricType } from './options';
import { TRANSFORMS } from './transforms';
import { ReferenceStore } from './testing/referenceStore';
import { dropPrefix, keysOf } from './testing/redisFixture';

/**
 * Model-based property tests: random configurations, random batches (with old captures, jumps
 * that expire data, replays of fenced batches and deletes) go through the real store on the real
 * Redis and through a naive in-memory reference; then every read is compared: every type, every
 * transform, condense, collapse, last-N, get at bucket edges, properties, entity listing and
 * pagination, and top over random ranges whose edges cut chunks.
 */

const T0 = 1_514_764_800;
const ENTITIES = ['10.0.0.1', '::ffff:10.0.0.1', '10.0.0.2', '2001:db8::1', '2001:DB8:0:0::1', '192.168.7.9', 'fe80::a', '10.0.0.10'];
const DISTINCT = ['10.0.0.1', '10.0.0.2', '2001:db8::1', '192.168.7.9', 'fe80::a', '10.0.0.10'];
const TYPES: MetricType[] = ['count', 'gauge', 'series', 'histogram', 'set', 'hll'];

const db = usePrivateRedis('store', REDIS_DEFAULT_ENCODINGS); // Redis defaults: the store must be exact on them too

const configArb = fc.record({
  shards: fc.constantFrom(1, 3, 8),
  fineSteps: fc.integer({ min: 3, max: 70 }),
  fineChunk: fc.integer({ min: 1, max: 5 }),
  coarseSteps: fc.integer({ min: 2, max: 14 }),
  coarseResolution: fc.constantFrom(60, 150, 300),
  coarseChunk: fc.integer({ min: 1, max: 4 }),
  metricIntervals: fc.array(fc.constantFrom(['fine'], ['coarse'], ['fine', 'coarse']), { minLength: 6, maxLength: 6 }),
  topScanLimit: fc.constantFrom(0, undefined),
});

function valueArb(type: MetricType): fc.Arbitrary<number | string> {
  switch (type) {
    case 'count':
      return fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constant(1));
    case 'gauge':
    case 'series':
    case 'histogram':
      return fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constantFrom(0.5, 2.25, -1.75));
    case 'set':
    case 'hll':
      return fc.oneof(fc.constantFrom('a', 'b', 'c', 'd:e', '10.1.2.3', 'f'), fc.constantFrom(1, 2));
  }
}

const sampleArb: fc.Arbitrary<Sample> = fc.constantFrom(...TYPES).chain((type) =>
  fc.record({
    metric: fc.constant(type),
    entity: fc.oneof(fc.constantFrom(...ENTITIES), fc.constant('10.0.0.1')),
    // seconds within ~50 minutes, sometimes fractional, biased to bucket edges
    ts: fc.oneof(
      fc.integer({ min: 0, max: 3000 }),
      fc.integer({ min: 0, max: 150 }),
      fc.integer({ min: 0, max: 50 }).map((k) => k * 60 - 1),
      fc.integer({ min: 0, max: 3000 }).map((k) => k + 0.25),
    ),
    value: valueArb(type),
  }).chain((sample) =>
    // Histogram samples sometimes carry a weight (bytes per peer): small, zero or large.
    type === 'histogram'
      ? fc.option(fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 50, max: 500 })), { nil: undefined }).map((weight) => (weight === undefined ? sample : { ...sample, weight }))
      : fc.constant(sample),
  ),
);

type Step =
  | { kind: 'batch'; offset: number; samples: Sample[] }
  | { kind: 'replay' }
  | { kind: 'delete'; entity: string; metric: MetricType | undefined };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('batch' as const), offset: fc.constantFrom(0, 0, 600, 1800, 3600, 7200), samples: fc.array(sampleArb, { minLength: 0, maxLength: 40, size: 'max' }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'replay' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), entity: fc.constantFrom(...ENTITIES), metric: fc.option(fc.constantFrom(...TYPES), { nil: undefined }) }) },
);

/** Compares points; hll estimates may differ from the exact count by their error (at most 5 %, or 1). */
function expectPoints(type: MetricType, actual: { ts: number; value: unknown }[], expected: { ts: number; value: unknown }[]): void {
  expect(actual.map((p) => p.ts)).toEqual(expected.map((p) => p.ts));
  if (type !== 'hll') {
    expect(actual).toEqual(expected);
    return;
  }
  actual.forEach((p, i) => {
    const e = (expected[i] as { value: unknown }).value as number;
    expect(Math.abs((p.value as number) - e)).toBeLessThanOrEqual(Math.max(1, 0.05 * e));
  });
}

describe('the store agrees with a naive reference model', () => {
  it('on every read after random writes, replays, retention jumps and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(configArb, fc.array(stepArb, { minLength: 1, maxLength: 8, size: 'max' }), fc.integer({ min: 0, max: 1_000_000 }), async (cfg, steps, seed) => {
        const prefix = db.prefix('p');
        const metrics: StoreOptions['metrics'] = {};
        TYPES.forEach((type, i) => {
          metrics[type] = { type, intervals: [...(cfg.metricIntervals[i] ?? ['fine'])], top: type === 'histogram' || type === 'series' ? true : undefined };
        });
        const options: StoreOptions = {
          prefix,
          shards: cfg.shards,
          metrics,
          intervals: {
            fine: { step: 60, steps: cfg.fineSteps, chunk: cfg.fineChunk },
            coarse: { step: 300, steps: cfg.coarseSteps, resolution: cfg.coarseResolution, chunk: cfg.coarseChunk },
          },
          maxFutureSeconds: Infinity,
          topScanLimit: cfg.topScanLimit,
        };
        const store = createStore(db.redis, options);
        const config = resolveOptions(options);
        const ref = new ReferenceStore(config);
        let base = T0;
        let token = 0;
        let lastBatch: { samples: Sample[]; token: number } | null = null;
        const rnd = fc.sample(fc.integer({ min: 0, max: 1 << 30 }), { numRuns: 97, seed });
        let r = 0;
        const next = (n: number) => (rnd[r++ % rnd.length] as number) % n;
        /** Compares reads; `full` adds every transform, condense, collapse, last-N, get and properties. */
        const check = async (full: boolean): Promise<void> => {
          expect(await store.newest()).toBe(ref.newest());
          const newest = ref.newest();

          for (const type of TYPES) {
            const metric = config.metrics.get(type);
            if (!metric) continue;
            for (const interval of metric.intervals) {
              const windowStart = newest === null ? T0 : newest - interval.steps * interval.step - 120;
              const to = (newest ?? T0) + 90;
              // between steps two entities per series, after the last step all of them
              const some = full ? DISTINCT : [DISTINCT[next(DISTINCT.length)] as string, DISTINCT[next(DISTINCT.length)] as string];
              for (const entity of some) {
                const q = { metric: type, entity, interval: interval.name };
                const raw = await store.series({ ...q, from: windowStart, to });
                expectPoints(type, raw.points, ref.series({ ...q, from: windowStart, to }));
                if (!full) continue;
                expectPoints(type, (await store.series(q)).points, ref.series(q));
                const lastN = 1 + next(3);
                expectPoints(type, (await store.series({ ...q, last: lastN })).points, ref.series({ ...q, last: lastN }));
                const condense = interval.resolution * (1 + next(4));
                expectPoints(type, (await store.series({ ...q, from: windowStart, to, condense })).points, ref.series({ ...q, from: windowStart, to, condenseSeconds: condense }));
                expectPoints(type, (await store.series({ ...q, from: windowStart, to, collapse: true })).points, ref.series({ ...q, from: windowStart, to, collapse: true }));
                for (const transform of TRANSFORMS[type]) {
                  expectPoints(type, (await store.series({ ...q, from: windowStart, to, transform, condense })).points, ref.series({ ...q, from: windowStart, to, transform, condenseSeconds: condense }));
                  expectPoints(type, (await store.series({ ...q, from: windowStart, to, transform, collapse: true })).points, ref.series({ ...q, from: windowStart, to, transform, collapse: true }));
                }
                if (interval.step !== interval.resolution) {
                  expectPoints(type, (await store.series({ ...q, last: 2, condense: true })).points, ref.series({ ...q, last: 2, condenseSeconds: interval.step }));
                }
                const at = windowStart + next(to - windowStart);
                const got = await store.get({ ...q, ts: at });
                expectPoints(type, [got], ref.series({ ...q, from: at, to: at }));
              }
              if (metric.top && newest !== null) {
                for (let k = 0; k < (full ? 4 : 1); k++) {
                  const from = windowStart + next(to - windowStart);
                  const until = from + next(to - from + 1);
                  const limit = 1 + next(6);
                  const offset = next(3);
                  const top = await store.top({ metric: type, interval: interval.name, from, to: until, limit, offset });
                  expect(top).toEqual(ref.top({ metric: type, interval: interval.name, from, to: until, limit, offset }));
                }
                expect(await store.top({ metric: type, interval: interval.name, limit: 10 })).toEqual(
                  ref.top({ metric: type, interval: interval.name, from: -Infinity, to: newest, limit: 10, offset: 0 }),
                );
              }
            }
            if (full) for (const entity of DISTINCT) expect(await store.properties({ metric: type, entity })).toEqual(ref.properties(type, entity));
            const listed = ref.entities(type);
            expect(await store.entities({ metric: type })).toEqual(listed);
            expect(await store.countEntities({ metric: type })).toBe(listed.length);
            const offset = next(4);
            const limit = 1 + next(3);
            expect(await store.entities({ metric: type, offset, limit })).toEqual(listed.slice(offset, offset + limit));
          }
          expect(await store.entities()).toEqual(ref.entities());
          expect(await store.countEntities()).toBe(ref.entities().length);
        };
        for (const step of steps) {
          if (step.kind === 'batch') {
            base += step.offset;
            const samples = step.samples.map((s) => ({ ...s, ts: base + s.ts }));
            token++;
            await store.bulkInsert(samples, { fence: { scope: 'part', token } });
            ref.insert(samples);
            lastBatch = { samples, token };
            await check(false);
          } else if (step.kind === 'replay' && lastBatch) {
            const r = await store.bulkInsert(lastBatch.samples, { fence: { scope: 'part', token: lastBatch.token } });
            expect(r.written).toBe(0);
          } else if (step.kind === 'delete') {
            await store.delete({ entity: step.entity, metric: step.metric });
            ref.delete(step.entity, step.metric);
            await check(false);
          }
        }
        await check(true);
        await dropPrefix(db.redis, prefix);
        expect(await keysOf(db.redis, prefix)).toEqual([]);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 30), seed: process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : undefined },
    );
  }, 600_000);
});
