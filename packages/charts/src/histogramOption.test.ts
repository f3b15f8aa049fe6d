import { describe, expect, it } from 'vitest';
import type { ChartContext } from './chartOption';
import { histogramCategories, histogramToHeatmapOption, histogramToStackedOption, OTHER, type HistogramSeriesInput } from './histogramOption';

const ctx: ChartContext = { range: { from: 0, to: 180 }, step: 60, theme: 'light' };
const input: HistogramSeriesInput = {
  metric: 'conn.state',
  unit: 'connections',
  points: [
    [0, { SF: 5, S0: 1 }],
    [60, { SF: 2, REJ: 4 }],
    [120, {}],
  ],
};

describe('histogramCategories', () => {
  it('orders names by total, largest first', () => {
    expect(histogramCategories(input.points, 10).categories).toEqual(['SF', 'REJ', 'S0']);
  });

  it('keeps the largest values and folds the rest into other', () => {
    expect(histogramCategories(input.points, 2)).toMatchObject({ categories: ['SF', 'REJ', OTHER], hasOther: true });
  });

  it('keeps numeric values in numeric order', () => {
    const points: HistogramSeriesInput['points'] = [[0, { '10': 1, '2': 9, '100': 3 }]];
    expect(histogramCategories(points, 10).categories).toEqual(['2', '10', '100']);
  });
});

describe('histogramToStackedOption', () => {
  type Band = { name: string; stack: string; data: number[][] };
  it('stacks one band per value, zero where a value is absent', () => {
    const bands = histogramToStackedOption(input, ctx).series as Band[];
    expect(bands.map((b) => b.name)).toEqual(['SF', 'REJ', 'S0']);
    expect(bands.every((b) => b.stack === 'histogram')).toBe(true);
    expect(bands[1]!.data).toEqual([[0, 0], [60_000, 4], [120_000, 0]]);
  });

  it('sums the small values into other', () => {
    const bands = histogramToStackedOption(input, ctx, 1).series as Band[];
    expect(bands.map((b) => b.name)).toEqual(['SF', OTHER]);
    expect(bands[1]!.data).toEqual([[0, 1], [60_000, 4], [120_000, 0]]);
  });

  it('does not mutate its input', () => {
    const copy = structuredClone(input);
    histogramToStackedOption(input, ctx, 1);
    expect(input).toEqual(copy);
  });
});

describe('histogramToHeatmapOption', () => {
  it('has one cell per non-zero count, rows as categories and the colour scale up to the largest count', () => {
    const option = histogramToHeatmapOption(input, ctx);
    const series = option.series as Array<{ type: string; data: number[][] }>;
    expect(series[0]!.type).toBe('custom');
    expect(series[0]!.data).toEqual([[0, 0, 5], [0, 2, 1], [60_000, 0, 2], [60_000, 1, 4]]);
    expect(option.yAxis).toMatchObject({ type: 'category', data: ['SF', 'REJ', 'S0'] });
    expect(option.visualMap).toMatchObject({ min: 0, max: 5 });
  });

  it('shares the time axis with the other charts', () => {
    expect(histogramToHeatmapOption(input, ctx).xAxis).toMatchObject({ type: 'time', min: 0, max: 180_000 });
  });

  it('does not mutate its input', () => {
    const copy = structuredClone(input);
    histogramToHeatmapOption(input, ctx);
    expect(input).toEqual(copy);
  });
});

describe('histograms with catalog buckets', () => {
  const durations: HistogramSeriesInput = {
    metric: 'conn.duration.resp',
    unit: 'connections',
    points: [[0, { '1': 5, '0.01': 2, '10': 1 }]],
    buckets: [
      { value: 0, label: '<0.01s' },
      { value: 0.01, label: '0.01-0.1s' },
      { value: 0.1, label: '0.1-1s' },
      { value: 1, label: '1-10s' },
      { value: 10, label: '10-100s' },
    ],
  };

  it('orders values as the catalog does', () => {
    expect(histogramCategories([[0, { b: 9, a: 1, c: 5 }]], 10, ['c', 'a', 'b']).categories).toEqual(['c', 'a', 'b']);
  });

  it('names stacked bands and heatmap rows by their labels, in bucket order', () => {
    const bands = histogramToStackedOption(durations, ctx).series as Array<{ name: string }>;
    expect(bands.map((b) => b.name)).toEqual(['0.01-0.1s', '1-10s', '10-100s']);
    expect(histogramToHeatmapOption(durations, ctx).yAxis).toMatchObject({ data: ['0.01-0.1s', '1-10s', '10-100s'] });
  });

  it('keeps values the catalog does not list, after the listed ones', () => {
    expect(histogramCategories([[0, { x: 9, a: 1 }]], 10, ['a']).categories).toEqual(['a', 'x']);
  });
});
