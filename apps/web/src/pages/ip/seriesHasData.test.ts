import { describe, expect, it } from 'vitest';
import type { MetricSeries } from '@ipscope/api';
import { seriesHasData } from './seriesHasData';

const numbers = (points: Array<[number, number | null]>): MetricSeries => ({ kind: 'number', metric: 'm', type: 'count', unit: 'u', points });
const histogram = (points: Array<[number, Record<string, number>]>): MetricSeries => ({ kind: 'histogram', metric: 'h', type: 'histogram', unit: 'u', points });

describe('seriesHasData', () => {
  it.each([
    [numbers([]), false],
    [numbers([[0, 0], [60, null]]), false],
    [numbers([[0, 0], [60, 3]]), true],
    [numbers([[0, -1]]), true],
    [histogram([[0, {}], [60, { SF: 0 }]]), false],
    [histogram([[0, {}], [60, { SF: 2 }]]), true],
  ])('%# → %s', (series, expected) => {
    expect(seriesHasData(series)).toBe(expected);
  });
});
