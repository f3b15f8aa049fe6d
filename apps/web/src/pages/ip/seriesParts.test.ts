import { describe, expect, it } from 'vitest';
import type { MetricSeries, SeriesResponseV1 } from '@ipscope/api';
import { mergeSeriesParts, splitSeriesQuery } from './seriesParts';

const q = { metrics: ['a', 'b', 'c', 'd', 'e', 'f'], interval: 'days', from: 0, to: 3600, maxPoints: 1100 };

const line = (metric: string): MetricSeries => ({ kind: 'number', metric, type: 'count', unit: 'x', points: [[0, 1]] });
const answer = (metrics: string[], from = 0): SeriesResponseV1 => ({
  ip: '10.0.0.1',
  interval: 'days',
  bucketStep: 60,
  from,
  to: from + 3600,
  downsampling: { method: 'none', factor: 1, step: 60, aggregation: Object.fromEntries(metrics.map((m) => [m, 'sum' as const])) },
  series: metrics.map(line),
});

describe('splitSeriesQuery', () => {
  it('asks for the first screen first, then the rest, over the same range', () => {
    const parts = splitSeriesQuery(q, 4);
    expect(parts.map((p) => p.metrics)).toEqual([
      ['a', 'b', 'c', 'd'],
      ['e', 'f'],
    ]);
    expect(parts.every((p) => p.from === 0 && p.to === 3600 && p.interval === 'days' && p.maxPoints === 1100)).toBe(true);
  });

  it('keeps a short list in one request and leaves the query untouched', () => {
    const copy = structuredClone(q);
    expect(splitSeriesQuery(q, 6)).toEqual([q]);
    splitSeriesQuery(q, 2);
    expect(q).toEqual(copy);
  });
});

describe('mergeSeriesParts', () => {
  const first = answer(['a', 'b']);
  const second = answer(['c']);

  it('draws the leading parts that have arrived and counts the ones to come', () => {
    const merged = mergeSeriesParts([
      { data: first, isPlaceholderData: false },
      { data: undefined, isPlaceholderData: false },
    ]);
    expect(merged.data?.series.map((s) => s.metric)).toEqual(['a', 'b']);
    expect(merged).toMatchObject({ complete: false, waiting: 1, isPlaceholderData: false });
  });

  it('is complete when every part has its own answer, in order, with every aggregation', () => {
    const merged = mergeSeriesParts([
      { data: first, isPlaceholderData: false },
      { data: second, isPlaceholderData: false },
    ]);
    expect(merged.data?.series.map((s) => s.metric)).toEqual(['a', 'b', 'c']);
    expect(merged.data?.downsampling.aggregation).toEqual({ a: 'sum', b: 'sum', c: 'sum' });
    expect(merged).toMatchObject({ complete: true, waiting: 0 });
  });

  it('does not draw a later part before an earlier one (charts appear top down)', () => {
    const merged = mergeSeriesParts([
      { data: undefined, isPlaceholderData: false },
      { data: second, isPlaceholderData: false },
    ]);
    expect(merged).toEqual({ data: undefined, complete: false, isPlaceholderData: false, waiting: 2 });
  });

  it("keeps the previous view's data, dimmed, until the new view's first part arrives", () => {
    const old = [answer(['a', 'b'], 7200), answer(['c'], 7200)];
    const waiting = mergeSeriesParts(old.map((data) => ({ data, isPlaceholderData: true })));
    expect(waiting).toMatchObject({ complete: false, isPlaceholderData: true });
    expect(waiting.data?.from).toBe(7200);
    const arriving = mergeSeriesParts([
      { data: first, isPlaceholderData: false },
      { data: old[1], isPlaceholderData: true },
    ]);
    expect(arriving.data?.series.map((s) => s.metric)).toEqual(['a', 'b']);
    expect(arriving).toMatchObject({ complete: false, isPlaceholderData: false, waiting: 1 });
  });

  it('does not touch the answers', () => {
    const copy = structuredClone(first);
    mergeSeriesParts([
      { data: first, isPlaceholderData: false },
      { data: second, isPlaceholderData: false },
    ]);
    expect(first).toEqual(copy);
  });
});
