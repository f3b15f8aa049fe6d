import { describe, expect, it } from 'vitest';
import type { CatalogResponse } from '@ipscope/api';
import { DEFAULT_VIEW } from '../../state/viewState';
import { ipPageQueries } from './ipPageQueries';

const catalog: CatalogResponse = {
  metrics: [
    { name: 'conn.count.resp', type: 'count', key: 'resp', unit: 'connections', description: '', intervals: ['days', 'months'], ranked: true },
    { name: 'conn.state.resp', type: 'histogram', key: 'resp', unit: 'connections', description: '', intervals: ['days'], ranked: false },
  ],
  intervals: [
    { name: 'days', step: 60, steps: 2880 },
    { name: 'months', step: 1800, steps: 4032 },
  ],
};

describe('ipPageQueries', () => {
  const now = 1_700_000_030;

  it('reads every catalog metric of the interval over the range, and the summary over the zoom', () => {
    const q = ipPageQueries('10.0.0.1', { ...DEFAULT_VIEW, zoom: { from: 1_699_990_000, to: 1_699_995_000 } }, now, catalog);
    expect(q.seriesParts).toEqual([{ metrics: ['conn.count.resp', 'conn.state.resp'], interval: 'days', from: 1_699_913_640, to: 1_700_000_040, maxPoints: 1100 }]);
    expect(q.summary).toEqual({ interval: 'days', from: 1_699_990_000, to: 1_699_995_000 });
    expect(q.alerts).toEqual({ ip: '10.0.0.1', from: 1_699_913_640, to: 1_700_000_040, limit: 200 });
  });

  it('cannot name the series before the catalog is known, unless the URL names the metrics', () => {
    expect(ipPageQueries('10.0.0.1', DEFAULT_VIEW, now, undefined).seriesParts).toBeUndefined();
    expect(ipPageQueries('10.0.0.1', { ...DEFAULT_VIEW, metrics: ['a'] }, now, undefined).seriesParts?.map((p) => p.metrics)).toEqual([['a']]);
  });

  it('reads many metrics in two requests, the first screen first', () => {
    const metrics = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect(ipPageQueries('10.0.0.1', { ...DEFAULT_VIEW, metrics }, now, catalog).seriesParts?.map((p) => p.metrics)).toEqual([
      ['a', 'b', 'c', 'd'],
      ['e', 'f', 'g'],
    ]);
  });

  it('uses a known interval override and ignores an unknown one', () => {
    expect(ipPageQueries('::1', { ...DEFAULT_VIEW, interval: 'months' }, now, catalog).interval).toBe('months');
    expect(ipPageQueries('::1', { ...DEFAULT_VIEW, interval: 'weeks' }, now, catalog).interval).toBe('days');
  });

  it('gives equal queries for equal inputs, so a prefetch and the page share cache entries', () => {
    expect(ipPageQueries('::1', DEFAULT_VIEW, now, catalog)).toEqual(ipPageQueries('::1', DEFAULT_VIEW, now + 5, catalog));
  });
});
