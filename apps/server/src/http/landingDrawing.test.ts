import { describe, expect, it } from 'vitest';
import { chartWeight, drawChartFigure, planLanding, shareCharts } from './landingDrawing';
import { JOB_FROM, JOB_TO, landingDrawJob } from './testing/landingDrawJob';

describe('planLanding', () => {
  it('plans the page’s charts from its answers: window and keys in page order, the all-zero metric with an alert included', () => {
    const planned = planLanding(landingDrawJob());
    expect(planned?.plan).toEqual({ window: `${JOB_FROM}-${JOB_TO}`, keys: ['chart-conn.count.resp', 'chart-conn.count.orig', 'chart-conn.bytes.resp', 'chart-conn.state.resp'] });
    expect(planned?.charts.map((c) => c.key)).toEqual(planned?.plan.keys);
  });

  it('plans no charts for answers without data, and nothing for a page that is not an IP page', () => {
    expect(planLanding(landingDrawJob({ empty: true }))?.plan.keys).toEqual([]);
    expect(planLanding({ ...landingDrawJob(), location: { pathname: '/', search: '' } })).toBeUndefined();
  });

  it('refuses a job without the alerts answer, and an answer that is not JSON', () => {
    const job = landingDrawJob();
    expect(() => planLanding({ ...job, bodies: job.bodies.slice(0, 1) })).toThrow(/bodies: needs the series parts and then the alerts answer, got 1/);
    expect(() => planLanding({ ...job, bodies: [new TextEncoder().encode('{"ip":'), job.bodies[1]!] })).toThrow(SyntaxError);
  });
});

describe('shareCharts', () => {
  const charts = planLanding(landingDrawJob())!.charts;

  it('gives every chart to one share, heaviest first to the lightest share, the same way every time', () => {
    const weights = charts.map(chartWeight);
    // The two-band histogram draws two series: the heaviest.
    expect(Math.max(...weights)).toBe(weights[3]);
    const owner = shareCharts(charts, 2);
    expect(owner[3]).toBe(0);
    expect(new Set(owner)).toEqual(new Set([0, 1]));
    expect(shareCharts(charts, 2)).toEqual(owner);
    const load = [0, 1].map((s) => weights.filter((_, i) => owner[i] === s).reduce((a, b) => a + b, 0));
    // Balanced within the lightest chart's weight.
    expect(Math.abs(load[0]! - load[1]!)).toBeLessThanOrEqual(Math.min(...weights));
  });

  it('puts everything on one share when there is one, and refuses a share count that is not a whole number from 1', () => {
    expect(shareCharts(charts, 1)).toEqual([0, 0, 0, 0]);
    expect(shareCharts(charts, 8).filter((s) => s >= 4)).toEqual([]);
    expect(() => shareCharts(charts, 0)).toThrow(/shares: must be a whole number from 1, got 0/);
    expect(() => shareCharts(charts, 1.5)).toThrow(RangeError);
  });
});

describe('drawChartFigure', () => {
  it('lays the chart’s SVG out as the page’s chart figure, with its caption and an accessible label', () => {
    const chart = planLanding(landingDrawJob({ width: 700 }))!.charts[0]!;
    const html = drawChartFigure(chart, 'dark', 700);
    expect(html).toMatch(/^<figure class="metric-chart server-chart" data-chart="chart-conn.count.resp" role="img" aria-label="Chart of conn.count.resp, drawn by the server"><figcaption class="muted">Connections answered<\/figcaption><div class="chart-frame"><svg width="700" height="\d+"/);
    expect(html.endsWith('</svg></div></figure>')).toBe(true);
  });
});

describe('drawChartFigure ids', () => {
  it('writes the thread’s tag into every element id and reference, and nothing else', () => {
    const chart = planLanding(landingDrawJob())!.charts[3]!;
    const plain = drawChartFigure(chart, 'dark', 900);
    const tagged = drawChartFigure(chart, 'dark', 900, 't1');
    const ids = [...tagged.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^zr\d+t1-/);
    for (const [, ref] of tagged.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref);
    // Otherwise the same drawing (instance and hover-class numbers are counted per thread, so they differ between two draws).
    const same = (html: string) => html.replace(/(id="|url\(#|href="#)zr\d+(t1)?-/g, '$1zr-').replace(/ class="zr\d+(t1)?-cls-\d+"/g, '');
    expect(same(tagged)).toBe(same(plain));
    expect(tagged).not.toBe(plain);
  });
});
