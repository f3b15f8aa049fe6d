import { describe, expect, it } from 'vitest';
import { applyTransform, checkTransform } from './transforms';
import { InvalidQueryError } from './errors';

describe('transforms of a series bucket', () => {
  const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
  it.each([
    ['sum', 55],
    ['count', 10],
    ['mean', 5.5],
    ['min', 1],
    ['max', 10],
    ['rate', 10 / 60],
    ['p50', 5],
    ['p90', 9],
    ['p99', 10],
  ] as const)('%s', (t, expected) => {
    expect(applyTransform('series', values, t, 60)).toBeCloseTo(expected, 12);
  });

  it('gives null for statistics of nothing and 0 for totals', () => {
    expect(applyTransform('series', [], 'mean', 60)).toBeNull();
    expect(applyTransform('series', [], 'p50', 60)).toBeNull();
    expect(applyTransform('series', [], 'min', 60)).toBeNull();
    expect(applyTransform('series', [], 'sum', 60)).toBe(0);
    expect(applyTransform('series', [], 'count', 60)).toBe(0);
  });
});

describe('transforms of a histogram bucket', () => {
  // 1 x3, 2 x1, 10 x6: ten occurrences
  const h = { 10: 6, 1: 3, 2: 1 };
  it.each([
    ['count', 10],
    ['sum', 3 + 2 + 60],
    ['mean', 6.5],
    ['min', 1],
    ['max', 10],
    ['rate', 10 / 30],
    ['p50', 10],
    ['p90', 10],
    ['p99', 10],
  ] as const)('%s', (t, expected) => {
    expect(applyTransform('histogram', h, t, 30)).toBeCloseTo(expected, 12);
  });

  it('takes the nearest rank for percentiles', () => {
    expect(applyTransform('histogram', { 1: 3, 2: 1, 10: 6 }, 'p50', 1)).toBe(10); // rank 5 falls on 10
    expect(applyTransform('histogram', { 1: 5, 2: 5 }, 'p50', 1)).toBe(1); // rank 5 is the last 1
    expect(applyTransform('histogram', { '-2.5': 1, 3: 1 }, 'min', 1)).toBe(-2.5);
  });
});

describe('transforms of a labelled histogram', () => {
  const states = { S0: 2, REJ: 1, SF: 7 };
  it('counts occurrences and their rate', () => {
    expect(applyTransform('histogram', states, 'count', 60)).toBe(10);
    expect(applyTransform('histogram', states, 'rate', 20)).toBe(0.5);
  });
  it.each(['sum', 'mean', 'min', 'max', 'p90'] as const)('refuses %s, naming a label', (t) => {
    expect(() => applyTransform('histogram', states, t, 60)).toThrow(InvalidQueryError);
    expect(() => applyTransform('histogram', states, t, 60)).toThrow(/label|labels/);
  });
});

describe('transforms of other types', () => {
  it('turns counts into rates', () => {
    expect(applyTransform('count', 120, 'rate', 60)).toBe(2);
    expect(applyTransform('count', 120, 'sum', 60)).toBe(120);
  });
  it('counts set members and hll estimates', () => {
    expect(applyTransform('set', ['a', 'b'], 'count', 60)).toBe(2);
    expect(applyTransform('set', ['a', 'b'], 'rate', 4)).toBe(0.5);
    expect(applyTransform('hll', 42, 'count', 60)).toBe(42);
  });

  it.each([
    ['count', 'mean', /use one of sum, rate/],
    ['gauge', 'sum', /gauges take no transform/],
    ['set', 'p50', /use one of count, rate/],
    ['series', 'median', /does not apply/],
  ] as const)('refuses %s with %s', (type, t, reason) => {
    expect(() => checkTransform(t, type, 'm')).toThrow(InvalidQueryError);
    expect(() => checkTransform(t, type, 'm')).toThrow(reason);
  });
});
