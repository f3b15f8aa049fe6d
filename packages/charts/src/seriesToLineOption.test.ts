import { describe, expect, it } from 'vitest';
import type { ChartContext } from './chartOption';
import { seriesToLineOption, type NumberSeriesInput } from './seriesToLineOption';

const ctx: ChartContext = {
  range: { from: 0, to: 600 },
  step: 60,
  theme: 'dark',
  alerts: [
    { id: 'a1', metric: 'conn.count', severity: 'high', status: 'new', start: 120, end: 240, expected: 3, observed: 90, explanation: 'burst' },
  ],
};
const input: NumberSeriesInput = { metric: 'conn.count', type: 'count', unit: 'connections', points: [[0, 1], [60, 3], [120, 90]] };

type Line = { type: string; data: number[][]; markArea?: { data: Array<Array<{ xAxis: number }>> }; step?: unknown };
const seriesOf = (o: ReturnType<typeof seriesToLineOption>) => o.series as Line[];

describe('seriesToLineOption', () => {
  it('converts unix seconds to milliseconds for the time axis', () => {
    expect(seriesOf(seriesToLineOption(input, ctx))[0]!.data).toEqual([[0, 1], [60_000, 3], [120_000, 90]]);
  });

  it('spans the time axis over the whole range so stacked charts line up', () => {
    expect(seriesToLineOption(input, ctx).xAxis).toMatchObject({ type: 'time', min: 0, max: 600_000 });
  });

  it('draws counts as a stepped line by default and as bars on request', () => {
    expect(seriesOf(seriesToLineOption(input, ctx))[0]).toMatchObject({ type: 'line', step: 'start' });
    expect(seriesOf(seriesToLineOption(input, ctx, 'bars'))[0]!.type).toBe('bar');
  });

  it('keeps distinct counts as lines even when bars are asked for', () => {
    expect(seriesOf(seriesToLineOption({ ...input, type: 'hll' }, ctx, 'bars'))[0]!.type).toBe('line');
  });

  it('marks each alert as an area from its start to its end', () => {
    const area = seriesOf(seriesToLineOption(input, ctx))[0]!.markArea!;
    expect(area.data.map(([a, b]) => [a!.xAxis, b!.xAxis])).toEqual([[120_000, 240_000]]);
  });

  it('explains an alert on its marked area in the same words as the axis tooltip', () => {
    const area = seriesOf(seriesToLineOption(input, ctx))[0]!.markArea as unknown as { tooltip: { formatter: (p: { dataIndex: number }) => string } };
    const html = area.tooltip.formatter({ dataIndex: 0 });
    expect(html).toContain('HIGH alert</b> (new): expected 3, observed 90');
    expect(html).toContain('burst');
    expect(html).toContain('since 1970-01-01 00:02 UTC');
  });

  it('applies the zoom window to the time axis', () => {
    const option = seriesToLineOption(input, { ...ctx, zoom: { from: 60, to: 180 } });
    expect(option.dataZoom).toEqual([expect.objectContaining({ startValue: 60_000, endValue: 180_000 })]);
  });

  it('describes the chart for screen readers', () => {
    const option = seriesToLineOption(input, ctx) as { aria: { label: { description: string } } };
    expect(option.aria.label.description).toBe(
      'conn.count, in connections: 3 points from 1970-01-01 00:00 UTC to 1970-01-01 00:02 UTC; total 94, peak 90 at 1970-01-01 00:02 UTC.',
    );
  });

  it('draws times in UTC', () => {
    expect(seriesToLineOption(input, ctx).useUTC).toBe(true);
  });

  it('does not mutate its inputs', () => {
    const inputCopy = structuredClone(input);
    const ctxCopy = structuredClone(ctx);
    seriesToLineOption(input, ctx, 'bars');
    expect(input).toEqual(inputCopy);
    expect(ctx).toEqual(ctxCopy);
  });
});

describe('seriesToLineOption with gaps', () => {
  it('draws a gauge without data as a gap, not as zero', () => {
    const gauge: NumberSeriesInput = { metric: 'g', type: 'gauge', unit: 'x', points: [[0, 2], [60, null], [120, 4]] };
    const option = seriesToLineOption(gauge, ctx) as { series: Array<{ data: unknown[] }>; aria: { label: { description: string } } };
    expect(option.series[0]!.data).toEqual([[0, 2], [60_000, '-'], [120_000, 4]]);
    expect(option.aria.label.description).toContain('2 points');
  });
});
