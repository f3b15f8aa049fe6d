import { describe, expect, it } from 'vitest';
import type { ChartContext } from './chartOption';
import { chartModes, metricChartOption, type MetricSeriesInput } from './metricChartOption';

const ctx: ChartContext = { range: { from: 0, to: 120 }, step: 60, theme: 'dark' };
const count: MetricSeriesInput = { kind: 'number', metric: 'conn.count', type: 'count', unit: 'connections', points: [[0, 1]] };
const hll: MetricSeriesInput = { kind: 'number', metric: 'peers.distinct', type: 'hll', unit: 'IPs', points: [[0, 1]] };
const hist: MetricSeriesInput = { kind: 'histogram', metric: 'conn.state', type: 'histogram', unit: 'connections', points: [[0, { SF: 1 }]] };

describe('chartModes', () => {
  it.each([
    [count, ['line', 'bars']],
    [hll, ['line']],
    [hist, ['stacked', 'heatmap']],
  ] as const)('offers the modes that fit %#', (series, modes) => {
    expect(chartModes(series)).toEqual(modes);
  });
});

describe('metricChartOption', () => {
  const firstType = (s: MetricSeriesInput, mode?: Parameters<typeof metricChartOption>[2]) =>
    (metricChartOption(s, ctx, mode).series as Array<{ type: string }>)[0]!.type;

  it('draws each kind in the requested mode', () => {
    expect(firstType(count, 'bars')).toBe('bar');
    expect(firstType(hist, 'heatmap')).toBe('custom');
    expect(firstType(hist, 'stacked')).toBe('line');
  });

  it('falls back to the default mode when the requested one does not fit', () => {
    expect(firstType(hist, 'bars')).toBe('line');
    expect(firstType(count, 'heatmap')).toBe('line');
  });
});
