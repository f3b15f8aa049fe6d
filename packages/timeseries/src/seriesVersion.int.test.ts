import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { usePrivateRedis } from './testing/privateRedis';
import { createStore, type Sample, type SeriesQuery, type SeriesResult, type Store } from './index';
import type { MetricType } from './options';

/**
 * Series answer versions (seriesGeneration.ts): a cache that keeps an answer while
 * `seriesVersion` returns the version `versionedSeries` read it at must never serve an answer that
 * differs from a fresh read — after any write, delete, deleteMetric step, trim or retention move.
 */

const T0 = 1_514_764_800;
const ENTITIES = ['10.0.0.1', '10.0.0.2', '2001:db8::1', '192.168.7.9'];
const TYPES: MetricType[] = ['count', 'gauge', 'series', 'histogram', 'set', 'hll'];
const metrics = Object.fromEntries(TYPES.map((t) => [t, { type: t, intervals: ['fine', 'coarse'] }]));
const intervals = { fine: { step: 60, steps: 40, chunk: 5 }, coarse: { step: 300, steps: 12, chunk: 3 } };

const db = usePrivateRedis('version');

function value(type: MetricType, n: number): number | string {
  if (type === 'set' || type === 'hll') return `m${n % 5}`;
  if (type === 'gauge' || type === 'series') return (n % 7) - 2.5;
  return n % 9;
}

type Step =
  | { kind: 'write'; samples: { type: number; entity: number; minute: number; n: number }[]; aggregate: boolean }
  | { kind: 'delete'; entity: number; type: number | null }
  | { kind: 'deleteMetric'; type: number; fromMinute: number | null }
  | { kind: 'trim' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('write' as const), aggregate: fc.boolean(), samples: fc.array(fc.record({ type: fc.nat(5), entity: fc.nat(3), minute: fc.nat(90), n: fc.nat(50) }), { minLength: 1, maxLength: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), entity: fc.nat(3), type: fc.option(fc.nat(5)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteMetric' as const), type: fc.nat(5), fromMinute: fc.option(fc.nat(90)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('trim' as const) }) },
);

async function apply(store: Store, step: Step): Promise<void> {
  switch (step.kind) {
    case 'write': {
      const samples: Sample[] = step.samples.map((s) => {
        const type = TYPES[s.type] as MetricType;
        return { metric: type, entity: ENTITIES[s.entity] as string, ts: T0 + s.minute * 60 + (s.n % 60), value: value(type, s.n) };
      });
      if (step.aggregate) {
        const agg = store.aggregate();
        for (const s of samples) agg.add(s.metric, s.entity, s.ts, s.value);
        await store.writeAggregate(agg);
      } else await store.bulkInsert(samples);
      return;
    }
    case 'delete':
      await store.delete({ entity: ENTITIES[step.entity] as string, ...(step.type === null ? {} : { metric: TYPES[step.type] as string }) });
      return;
    case 'deleteMetric':
      await store.deleteMetric({ metric: TYPES[step.type] as string, ...(step.fromMinute === null ? {} : { from: T0 + step.fromMinute * 60 }) });
      return;
    case 'trim':
      await store.trim();
  }
}

/** Every metric, entity and interval, over the whole span and over a cut range. */
function queries(): SeriesQuery[] {
  const out: SeriesQuery[] = [];
  for (const metric of TYPES) {
    for (const entity of ENTITIES) {
      out.push({ metric, entity, interval: 'fine', from: T0, to: T0 + 100 * 60 });
      out.push({ metric, entity, interval: 'fine', from: T0 + 37 * 60, to: T0 + 71 * 60 + 30 });
      out.push({ metric, entity, interval: 'coarse', from: T0, to: T0 + 100 * 60, condense: 600 });
    }
  }
  return out;
}

describe('series answer versions', () => {
  it('an answer kept while its version holds always equals a fresh read (random writes, deletes, trims)', async () => {
    let hits = 0;
    let changed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 3, maxLength: 14 }), fc.constantFrom(1, 3), async (steps, shards) => {
        const store = createStore(db.redis, { prefix: db.prefix('v'), metrics, intervals, shards });
        const cache = new Map<string, { version: string; answer: SeriesResult }>();
        const check = async () => {
          for (const q of queries()) {
            const key = JSON.stringify(q);
            const [version, fresh] = await Promise.all([store.seriesVersion(q), store.series(q)]);
            const kept = cache.get(key);
            if (kept && kept.version === version) {
              hits++;
              expect(fresh, `kept answer of ${key} at version ${version}`).toEqual(kept.answer);
            } else if (kept && JSON.stringify(kept.answer) !== JSON.stringify(fresh)) changed++;
            const read = await store.versionedSeries(q);
            expect(read.result).toEqual(fresh);
            cache.set(key, { version: read.version, answer: read.result });
          }
        };
        await check();
        for (const step of steps) {
          await apply(store, step);
          await check();
        }
      }),
      { numRuns: 12 },
    );
    // Not vacuous: answers were kept across steps, and steps changed answers (and so versions).
    expect(hits).toBeGreaterThan(1000);
    expect(changed).toBeGreaterThan(50);
  }, 240_000);

  it('a write changes the version of the entity written only; a newer time moving the retention over the range changes every version', async () => {
    const store = createStore(db.redis, { prefix: db.prefix('w'), metrics, intervals, shards: 1 });
    await store.bulkInsert([
      { metric: 'count', entity: '10.0.0.1', ts: T0, value: 1 },
      { metric: 'count', entity: '10.0.0.2', ts: T0, value: 1 },
    ]);
    const q = (entity: string): SeriesQuery => ({ metric: 'count', entity, interval: 'fine', from: T0, to: T0 + 600 });
    const a0 = await store.seriesVersion(q('10.0.0.1'));
    const b0 = await store.seriesVersion(q('10.0.0.2'));
    await store.bulkInsert([{ metric: 'gauge', entity: '10.0.0.1', ts: T0 + 30, value: 4 }]);
    const a1 = await store.seriesVersion(q('10.0.0.1'));
    expect(a1).not.toBe(a0);
    expect(await store.seriesVersion(q('10.0.0.2'))).toBe(b0);
    // Newer data of another entity, still within the range: the retained part of the range grows.
    await store.bulkInsert([{ metric: 'count', entity: '192.168.7.9', ts: T0 + 300, value: 1 }]);
    expect(await store.seriesVersion(q('10.0.0.2'))).not.toBe(b0);
    const b1 = await store.seriesVersion(q('10.0.0.2'));
    // Newer data past the retention of the range's start: its first buckets leave the window.
    await store.bulkInsert([{ metric: 'count', entity: '192.168.7.9', ts: T0 + 42 * 60, value: 1 }]);
    const b2 = await store.seriesVersion(q('10.0.0.2'));
    expect(b2).not.toBe(b1);
    expect((await store.versionedSeries(q('10.0.0.2'))).version).toBe(b2);
  });
});
