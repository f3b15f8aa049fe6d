import { describe, expect, it } from 'vitest';
import type { Alert, CatalogResponse, SeriesResponseV1 } from '@ipscope/api';
import { zoomComponents } from '@ipscope/charts';
import { seriesUrl, alertsUrl } from '../../api/requestUrls';
import { metricChartSpec } from './chartSpec';
import { landingChartRequests, landingCharts } from './landingCharts';

const FROM = 1_714_564_800;
const TO = FROM + 3600;
const catalog: CatalogResponse = {
  metrics: [
    { name: 'conn.count.resp', type: 'count', key: 'resp', unit: 'connections', description: '', intervals: ['days'], ranked: true },
    { name: 'conn.count.orig', type: 'count', key: 'orig', unit: 'connections', description: '', intervals: ['days'], ranked: true },
    { name: 'conn.state.resp', type: 'histogram', key: 'resp', unit: 'connections', description: '', intervals: ['days'], ranked: false, buckets: [{ value: 'SF', label: 'normal' }] },
  ],
  intervals: [{ name: 'days', step: 60, steps: 2880 }],
};
const points = Array.from({ length: 60 }, (_, i) => [FROM + i * 60, i % 3] as [number, number]);
const answer: SeriesResponseV1 = {
  ip: '10.0.0.1',
  interval: 'days',
  from: FROM,
  to: TO,
  downsampling: { method: 'none', step: 60, aggregation: {} },
  series: [
    { kind: 'number', metric: 'conn.count.resp', type: 'count', unit: 'connections', points },
    { kind: 'number', metric: 'conn.count.orig', type: 'count', unit: 'connections', points: points.map(([t]) => [t, 0]) },
    { kind: 'histogram', metric: 'conn.state.resp', type: 'histogram', unit: 'connections', points: points.map(([t, v]) => [t, { SF: v }]) },
  ],
} as SeriesResponseV1;
const alert = { id: 'a1', ip: '10.0.0.1', metric: 'conn.count.orig', severity: 'high', state: 'active', status: 'new', start: FROM + 600, end: null } as unknown as Alert;
const location = { pathname: '/ip/10.0.0.1', search: `?from=${FROM}&to=${TO}&live=0&modes=conn.count.resp:bars` };

describe('landingCharts', () => {
  it('names exactly the series and alerts requests the page sends', () => {
    const r = landingChartRequests(location, catalog, TO);
    expect(r).toEqual({
      series: [seriesUrl('10.0.0.1', { metrics: ['conn.count.resp', 'conn.count.orig', 'conn.state.resp'], interval: 'days', from: FROM, to: TO, maxPoints: 1100 })],
      alerts: alertsUrl({ ip: '10.0.0.1', from: FROM, to: TO, limit: 200 }),
    });
    expect(landingChartRequests({ pathname: '/', search: '' }, catalog, TO)).toBeUndefined();
    expect(landingChartRequests({ pathname: '/ip/not-an-ip', search: '' }, catalog, TO)).toBeUndefined();
  });

  it('draws the charts the page draws, with the page’s spec, mode, theme and window', () => {
    const page = landingCharts(location, catalog, TO, { series: [answer], alerts: { items: [] } }, 'light');
    // conn.count.orig is all zero and has no alert: listed by the page, not drawn.
    expect(page?.charts.map((c) => c.key)).toEqual(['chart-conn.count.resp', 'chart-conn.state.resp']);
    expect(page?.theme).toBe('light');
    expect(page?.window).toBe(`${FROM}-${TO}`);
    const bars = metricChartSpec(answer.series[0]!, catalog.metrics[0], { range: { from: FROM, to: TO }, step: 60, theme: 'light', alerts: [] }, 'bars');
    const drawn = page!.charts[0]!;
    expect(drawn.height).toBe(bars.height);
    // Same option as the page's chart applies (functions compared by presence: they are rebuilt per call).
    expect(JSON.stringify(drawn.option)).toBe(JSON.stringify({ ...bars.option, dataZoom: zoomComponents({ from: FROM, to: TO }) }));
    expect(JSON.stringify(drawn.option.series)).toContain('"type":"bar"');
    expect(page!.charts[1]!.height).toBe(260);
  });

  it('draws an all-zero series that has an alert, and the zoom window of the URL', () => {
    const zoomed = { ...location, search: `${location.search}&zoom=${FROM + 600}-${FROM + 1200}` };
    const page = landingCharts(zoomed, catalog, TO, { series: [answer], alerts: { items: [alert] } }, 'dark');
    expect(page?.charts.map((c) => c.metric)).toEqual(['conn.count.resp', 'conn.count.orig', 'conn.state.resp']);
    expect(page?.window).toBe(`${FROM + 600}-${FROM + 1200}`);
    expect(page?.charts[0]?.option.dataZoom).toEqual(zoomComponents({ from: FROM + 600, to: FROM + 1200 }));
  });
});
