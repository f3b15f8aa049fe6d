import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MetricSeries, SeriesResponseV1 } from '@ipscope/api';
import { seriesResponseBytes, type SeriesPart } from './seriesBytes';

const envelope = fc.record({
  ip: fc.string(),
  interval: fc.string(),
  bucketStep: fc.nat(),
  from: fc.nat(),
  to: fc.nat(),
  downsampling: fc.record({
    method: fc.constantFrom('none' as const, 'condense' as const),
    factor: fc.nat(),
    step: fc.nat(),
    aggregation: fc.dictionary(fc.string(), fc.constantFrom('sum' as const, 'mean' as const, 'last' as const, 'distinct' as const, 'merge' as const)),
  }),
});
const ts = fc.oneof(fc.integer({ min: 0, max: 4_102_444_800 }), fc.integer({ min: -1e6, max: 0 }));
// What the store hands over for a number series: numbers of every kind, null, and non-numbers (written as null).
const numberValue = fc.oneof(fc.double(), fc.integer(), fc.maxSafeInteger(), fc.constantFrom(-0, 0, 1e21, -1e-7, Number.MAX_SAFE_INTEGER + 2, Number.NaN, Infinity), fc.constant(null), fc.constant(undefined));
const numberPart: fc.Arbitrary<SeriesPart> = fc.record({
  head: fc.record({ kind: fc.constant('number' as const), metric: fc.string(), type: fc.constantFrom('count' as const, 'gauge' as const, 'hll' as const), unit: fc.string() }),
  points: fc.array(fc.record({ ts, value: numberValue })),
});
const histogramPart: fc.Arbitrary<SeriesPart> = fc.record({
  head: fc.record({ kind: fc.constant('histogram' as const), metric: fc.string(), type: fc.constant('histogram' as const), unit: fc.string() }),
  points: fc.array(fc.record({ ts, value: fc.dictionary(fc.string(), fc.nat()) })),
});

/** The answer as the API's types describe it, built the plain way. */
function plain(env: Omit<SeriesResponseV1, 'series'>, parts: readonly SeriesPart[]): SeriesResponseV1 {
  const series = parts.map((p) =>
    p.head.kind === 'histogram'
      ? ({ ...p.head, points: p.points.map((x) => [x.ts, x.value as Record<string, number>]) } as MetricSeries)
      : ({ ...p.head, points: p.points.map((x) => [x.ts, typeof x.value === 'number' ? x.value : null]) } as MetricSeries),
  );
  return { ...env, series };
}

describe('seriesResponseBytes', () => {
  it('writes exactly the bytes of JSON.stringify of the answer', () => {
    fc.assert(
      fc.property(envelope, fc.array(fc.oneof(numberPart, histogramPart), { maxLength: 4 }), (env, parts) => {
        expect(seriesResponseBytes(env, parts).toString('utf8')).toBe(JSON.stringify(plain(env, parts)));
      }),
      { numRuns: 400 },
    );
  });

  it('writes every digit of large and negative whole numbers, non-finite values as null and -0 as 0', () => {
    const env = { ip: '10.0.0.1', interval: 'days', bucketStep: 60, from: 0, to: 0, downsampling: { method: 'none' as const, factor: 1, step: 60, aggregation: {} } };
    const parts: SeriesPart[] = [
      {
        head: { kind: 'number', metric: 'm', type: 'gauge', unit: '' },
        points: [
          { ts: 1_795_795_020, value: 9_007_199_254_740_991 },
          { ts: 10, value: -10 },
          { ts: 9, value: -0 },
          { ts: 100, value: Number.NaN },
          { ts: 1000, value: 0.1 },
        ],
      },
    ];
    const text = seriesResponseBytes(env, parts).toString();
    expect(text).toContain('"points":[[1795795020,9007199254740991],[10,-10],[9,0],[100,null],[1000,0.1]]');
    expect(text).toBe(JSON.stringify(plain(env, parts)));
  });
});
