import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeriesModel, resolveSeriesModelOptions } from './seriesModel';
import { SeriesState } from './seriesState';
import { decodeState, encodeState } from './stateCodec';
import { MONDAY } from './testing/seededRandom';

const options = resolveSeriesModelOptions();
const finite = fc.double({ min: -1e12, max: 1e12, noNaN: true, noDefaultInfinity: true });
const counts = fc.integer({ min: 0, max: 1_000_000 });

describe('SeriesModel properties', () => {
  it('scores every bucket of any finite series in [0, 1], never NaN, with finite expectations', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(finite, { minLength: 1, maxLength: 300 }), fc.array(counts, { minLength: 1, maxLength: 300 })), fc.boolean(), (values, calendar) => {
        const model = SeriesModel.create(60, calendar, options);
        values.forEach((v, i) => {
          const s = model.update(MONDAY + i * 60, v);
          expect(s.score).toBeGreaterThanOrEqual(0);
          expect(s.score).toBeLessThanOrEqual(1);
          expect(Number.isFinite(s.expected)).toBe(true);
          expect(Number.isNaN(s.lower) || Number.isNaN(s.upper)).toBe(false);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('gives a larger upward deviation at least the same score from the same state', () => {
    fc.assert(
      fc.property(fc.array(counts, { minLength: 20, maxLength: 200 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 1e6 }), (history, a, extra) => {
        const model = SeriesModel.create(60, true, options);
        history.forEach((v, i) => model.update(MONDAY + i * 60, v));
        const ts = MONDAY + history.length * 60;
        const low = SeriesModel.decode(model.encode(), options).update(ts, Math.max(a, history[history.length - 1] as number));
        const high = SeriesModel.decode(model.encode(), options).update(ts, Math.max(a, history[history.length - 1] as number) + extra);
        // Evidence grows with the deviation above the forecast; below it, a higher value is less surprising.
        fc.pre(low.direction === 'up');
        expect(high.direction).toBe('up');
        expect(high.score).toBeGreaterThanOrEqual(low.score);
      }),
      { numRuns: 150 },
    );
  });

  it('continues identically after any encode/decode round trip', () => {
    fc.assert(
      fc.property(fc.array(counts, { minLength: 1, maxLength: 120 }), fc.integer({ min: 0, max: 119 }), (values, cut) => {
        const live = SeriesState.create(60, true, false, options);
        let restored = SeriesState.create(60, true, false, options);
        values.forEach((v, i) => {
          const ts = MONDAY + i * 60;
          if (i === cut) restored = decodeState(encodeState(restored), options);
          expect(restored.update(ts, v).score).toBe(live.update(ts, v).score);
        });
      }),
      { numRuns: 100 },
    );
  });
});
