import { describe, expect, it } from 'vitest';
import { bucketCount, condenseHistograms, condenseNumbers, planDownsampling, type HistogramPoint, type NumberPoint } from './downsample';

const minutes = (from: number, values: Array<number | null>): NumberPoint[] => values.map((v, i) => [from + i * 60, v]);

describe('bucketCount', () => {
  it.each([
    [0, 60, 60, 1],
    [0, 61, 60, 2],
    [30, 90, 60, 2],
    [0, 172_800, 60, 2880],
    [100, 100, 60, 0],
  ])('[%i, %i) at step %i touches %i buckets', (from, to, step, n) => {
    expect(bucketCount(from, to, step)).toBe(n);
  });
});

describe('planDownsampling', () => {
  it('keeps every bucket when they fit', () => {
    expect(planDownsampling(0, 172_800, 60, 2880)).toEqual({ factor: 1, step: 60 });
  });

  it('picks the smallest factor whose aligned groups fit', () => {
    expect(planDownsampling(0, 172_800, 60, 1500)).toEqual({ factor: 2, step: 120 });
    expect(planDownsampling(0, 172_800, 60, 1000)).toEqual({ factor: 3, step: 180 });
  });

  it('accounts for partial groups at unaligned edges', () => {
    // 10 buckets starting at minute 1; factor 5 would need groups [0,5),[5,10),[10,15): 3 points.
    const plan = planDownsampling(60, 660, 60, 2);
    expect(bucketCount(60, 660, plan.step)).toBeLessThanOrEqual(2);
    expect(plan.factor).toBe(6);
  });

  it('rejects maxPoints below 1', () => {
    expect(() => planDownsampling(0, 600, 60, 0)).toThrow(RangeError);
  });
});

describe('condenseNumbers', () => {
  const points = minutes(0, [1, 2, null, 4, 5, null, null, null]);
  const plan = { factor: 4, step: 240 };

  it.each([
    ['sum', [[0, 7], [240, 5]]],
    ['mean', [[0, 7 / 3], [240, 5]]],
    ['max', [[0, 4], [240, 5]]],
    ['last', [[0, 4], [240, 5]]],
  ] as const)('combines groups by %s', (aggregation, expected) => {
    expect(condenseNumbers(points, plan, aggregation)).toEqual(expected);
  });

  it('gives null for a group without data', () => {
    expect(condenseNumbers(minutes(0, [null, null, 3, null]), { factor: 2, step: 120 }, 'sum')).toEqual([
      [0, null],
      [120, 3],
    ]);
  });

  it('aligns groups to the epoch, so a range starting mid-group gets a partial first point', () => {
    expect(condenseNumbers(minutes(120, [1, 1, 1, 1]), plan, 'sum')).toEqual([
      [0, 2],
      [240, 2],
    ]);
  });

  it('preserves the total of a count series', () => {
    const many = minutes(0, Array.from({ length: 2880 }, (_, i) => (i * 7919) % 13));
    const total = many.reduce((s, [, v]) => s + v!, 0);
    const condensed = condenseNumbers(many, planDownsampling(0, 2880 * 60, 60, 1500), 'sum');
    expect(condensed).toHaveLength(1440);
    expect(condensed.reduce((s, [, v]) => s + v!, 0)).toBe(total);
  });

  it('does not mutate its input and copies when the factor is 1', () => {
    const input = minutes(0, [1, 2]);
    const snapshot = structuredClone(input);
    const out = condenseNumbers(input, { factor: 1, step: 60 }, 'sum');
    out[0]![1] = 99;
    condenseNumbers(input, { factor: 2, step: 120 }, 'sum');
    expect(input).toEqual(snapshot);
  });
});

describe('condenseHistograms', () => {
  it('adds counts per value within each group', () => {
    const points: HistogramPoint[] = [
      [0, { S0: 1, SF: 2 }],
      [60, { SF: 3 }],
      [120, {}],
      [180, { REJ: 1 }],
    ];
    const snapshot = structuredClone(points);
    expect(condenseHistograms(points, { factor: 2, step: 120 })).toEqual([
      [0, { S0: 1, SF: 5 }],
      [120, { REJ: 1 }],
    ]);
    expect(points).toEqual(snapshot);
  });

  it('keeps a value named __proto__ as data', () => {
    const out = condenseHistograms(
      [
        [0, JSON.parse('{"__proto__": 2}') as Record<string, number>],
        [60, JSON.parse('{"__proto__": 3}') as Record<string, number>],
      ],
      { factor: 2, step: 120 },
    );
    expect(Object.entries(out[0]![1])).toEqual([['__proto__', 5]]);
  });
});
