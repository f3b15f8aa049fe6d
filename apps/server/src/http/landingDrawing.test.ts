import { describe, expect, it } from 'vitest';
import { drawChartFigure, planLanding } from './landingDrawing';
import { JOB_FROM, JOB_TO, landingDrawJob } from './testing/landingDrawJob';

describe('planLanding', () => {
  it('plans the page’s charts from its answers: window and keys in page order, the all-zero metric with an alert included', () => {
    const planned = planLanding(landingDrawJob());
    expect({ window: planned?.window, keys: planned?.charts.map((c) => c.key) }).toEqual({ window: `${JOB_FROM}-${JOB_TO}`, keys: ['chart-conn.count.resp', 'chart-conn.count.orig', 'chart-conn.bytes.resp', 'chart-conn.state.resp'] });
  });

  it('plans no charts for answers without data, and nothing for a page that is not an IP page', () => {
    expect(planLanding(landingDrawJob({ empty: true }))?.charts.map((c) => c.key)).toEqual([]);
    expect(planLanding({ ...landingDrawJob(), location: { pathname: '/', search: '' } })).toBeUndefined();
  });

  it('refuses a job without the alerts answer, and an answer that is not JSON', () => {
    const job = landingDrawJob();
    expect(() => planLanding({ ...job, bodies: job.bodies.slice(0, 1) })).toThrow(/bodies: needs the series parts and then the alerts answer, got 1/);
    expect(() => planLanding({ ...job, bodies: [new TextEncoder().encode('{"ip":'), job.bodies[1]!] })).toThrow(SyntaxError);
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
