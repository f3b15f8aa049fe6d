import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MetricSeries, SeriesResponseV1 } from '@ipscope/api';
import { seriesResponseJson } from './seriesJson';

const numberSeries = fc.record({
  kind: fc.constant('number' as const),
  metric: fc.string(),
  type: fc.constantFrom('count' as const, 'gauge' as const, 'hll' as const),
  unit: fc.string(),
  points: fc.array(fc.tuple(fc.integer({ min: 0, max: 4_102_444_800 }), fc.option(fc.double(), { nil: null }))),
});
const histogramSeries = fc.record({
  kind: fc.constant('histogram' as const),
  metric: fc.string(),
  type: fc.constant('histogram' as const),
  unit: fc.string(),
  points: fc.array(fc.tuple(fc.integer({ min: 0, max: 4_102_444_800 }), fc.dictionary(fc.string(), fc.nat()))),
});
const response = fc.record({
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
  series: fc.array(fc.oneof(numberSeries, histogramSeries) as fc.Arbitrary<MetricSeries>, { maxLength: 4 }),
});

describe('seriesResponseJson', () => {
  it('writes exactly what JSON.stringify writes', () => {
    fc.assert(
      fc.property(response, (body: SeriesResponseV1) => {
        expect(seriesResponseJson(body)).toBe(JSON.stringify(body));
      }),
      { numRuns: 300 },
    );
  });

  it('writes non-finite values as null and -0 as 0, like JSON.stringify', () => {
    const body: SeriesResponseV1 = {
      ip: '10.0.0.1',
      interval: 'days',
      bucketStep: 60,
      from: 0,
      to: 180,
      downsampling: { method: 'none', factor: 1, step: 60, aggregation: { m: 'last' } },
      series: [{ kind: 'number', metric: 'm', type: 'gauge', unit: 'x', points: [[0, Number.NaN], [60, -0], [120, 1e21]] }],
    };
    expect(seriesResponseJson(body)).toBe(JSON.stringify(body));
    expect(JSON.parse(seriesResponseJson(body)).series[0].points).toEqual([[0, null], [60, 0], [120, 1e21]]);
  });
});
