import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidSampleError } from './errors';
import { resolveOptions, type MetricType } from './options';
import { foldValue, intervalBuckets, newSeriesAgg, type BucketAgg, type CountSum } from './seriesAgg';

/*
 * The fold against a plain reference: every value of a series, folded one by one (with the hot
 * bucket, the running total and the finest-bucket shortcuts), must give per interval exactly the
 * bucket totals computed naively from the list of values.
 */

const T0 = 1_514_764_800;
const TYPES: MetricType[] = ['count', 'gauge', 'series', 'histogram', 'set', 'hll'];
const config = resolveOptions({
  prefix: 'p',
  metrics: Object.fromEntries(TYPES.map((type) => [type, { type, intervals: ['fine', 'coarse', 'wide'] }])),
  intervals: { fine: { step: 60, steps: 30 }, coarse: { step: 300, steps: 6, resolution: 150 }, wide: { step: 1800, steps: 4 } },
  maxFutureSeconds: Infinity,
});

interface Fold {
  ts: number;
  value: number | string;
  weight: number;
}

/** Plain form of a bucket aggregate, for comparing. */
function plain(v: BucketAgg): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  if (v instanceof Set) return [...v].sort();
  if (typeof v === 'object' && !Array.isArray(v)) return (v as CountSum).n;
  return v;
}

function reference(type: MetricType, resolution: number, folds: readonly Fold[], cutoff: number): Record<number, unknown> {
  const out = new Map<number, unknown>();
  for (const { ts, value, weight } of folds) {
    if (ts < cutoff && (type === 'count' || type === 'gauge' || type === 'series')) continue;
    const idx = Math.floor(ts / resolution);
    const cur = out.get(idx);
    switch (type) {
      case 'count':
        out.set(idx, ((cur as number | undefined) ?? 0) + (value as number));
        break;
      case 'gauge':
        out.set(idx, String(value));
        break;
      case 'series':
        out.set(idx, [...((cur as string[] | undefined) ?? []), String(value)]);
        break;
      case 'histogram': {
        const h = (cur as Record<string, number> | undefined) ?? {};
        h[String(value)] = (h[String(value)] ?? 0) + weight;
        out.set(idx, h);
        break;
      }
      default:
        out.set(idx, [...new Set([...((cur as string[] | undefined) ?? []), value as string])].sort());
    }
  }
  const sorted: Record<number, unknown> = {};
  for (const [idx, v] of out) sorted[idx] = v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v;
  return sorted;
}

const valueFor = (type: MetricType): fc.Arbitrary<number | string> =>
  type === 'count'
    ? fc.integer({ min: 0, max: 1000 })
    : type === 'histogram'
      ? fc.oneof(fc.constantFrom('SF', 'REJ', 'ssl'), fc.constantFrom(443, 53, 0.01))
      : type === 'set' || type === 'hll'
        ? fc.constantFrom('10.0.0.1', '10.0.0.2', 'tcp/443', 'udp/53')
        : fc.integer({ min: -5, max: 5 });

describe('foldValue', () => {
  it.each(TYPES)('gives the naive bucket totals of a %s series (fuzz)', (type) => {
    const metric = config.metrics.get(type)!;
    const fold = fc.record({
      ts: fc.integer({ min: 0, max: 4 * 3600 }).map((s) => T0 + s / 2),
      value: valueFor(type),
      weight: type === 'histogram' ? fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 40 })) : fc.constant(1),
    });
    // Mostly runs of one bucket and label, as a stream gives, and some jumps.
    const folds = fc.array(fc.tuple(fold, fc.integer({ min: 1, max: 4 })), { maxLength: 60 }).map((runs) => runs.flatMap(([f, n]) => Array.from({ length: n }, () => f)));
    fc.assert(
      fc.property(folds, fc.boolean(), (list, cut) => {
        if (list.length === 0) return;
        const cutoffs = cut ? metric.intervals.map((i) => T0 + 1800 - (T0 % i.resolution)) : undefined;
        const agg = newSeriesAgg(metric, 'k', list[0]!.ts);
        list.forEach((f, i) => foldValue(metric, agg, f.ts, f.value, i, cutoffs, f.weight));
        expect(agg.samples).toBe(list.length);
        expect(agg.maxTs).toBe(Math.max(...list.map((f) => f.ts)));
        metric.intervals.forEach((interval, j) => {
          // (histogram, set and hll buckets older than a cutoff are left out when building)
          const got = Object.fromEntries([...intervalBuckets(metric, agg, j)].map(([idx, v]) => [idx, plain(v)]));
          expect(got).toEqual(reference(type, interval.resolution, list, cutoffs?.[j] ?? -Infinity));
        });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a count or a weighted histogram count that would pass 2^53, changing nothing', () => {
    const count = config.metrics.get('count')!;
    const c = newSeriesAgg(count, 'k', T0);
    foldValue(count, c, T0, Number.MAX_SAFE_INTEGER - 5, 0);
    foldValue(count, c, T0 + 3000, 10, 1);
    expect(() => foldValue(count, c, T0 + 1, 6, 2)).toThrow(InvalidSampleError);
    expect(c.samples).toBe(2);
    expect(plain(intervalBuckets(count, c, 0).get(Math.floor(T0 / 60))!)).toBe(Number.MAX_SAFE_INTEGER - 5);

    const histogram = config.metrics.get('histogram')!;
    const h = newSeriesAgg(histogram, 'k', T0);
    foldValue(histogram, h, T0, 'SF', 0, undefined, Number.MAX_SAFE_INTEGER - 5);
    foldValue(histogram, h, T0, 'REJ', 1, undefined, 10);
    foldValue(histogram, h, T0, 'SF', 2, undefined, 2);
    expect(() => foldValue(histogram, h, T0, 'SF', 3, undefined, 4)).toThrow(/2\^53/);
    expect(h.samples).toBe(3);
    expect(plain(intervalBuckets(histogram, h, 0).get(Math.floor(T0 / 60))!)).toEqual({ REJ: 10, SF: Number.MAX_SAFE_INTEGER - 3 });
  });
});
