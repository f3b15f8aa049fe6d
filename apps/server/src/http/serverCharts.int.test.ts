import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CatalogResponse } from '@ipscope/api';
import type { Sample } from '@ipscope/timeseries';
import { landingRequests } from '@ipscope/web/serverContract';
import { fakeWebDist } from './testing/fakeWebDist';
import { startTestApi, type TestApi } from './testing/harness';

/** 2024-05-01T12:00:00Z; ten minutes of data follow. */
const T0 = 1_714_564_800;
const MINUTES = 10;

function dataset(ip: string): Sample[] {
  const samples: Sample[] = [];
  for (let i = 0; i < MINUTES; i++) {
    const ts = T0 + i * 60 + 7;
    samples.push({ metric: 'conn.count.resp', entity: ip, ts, value: i + 1 });
    samples.push({ metric: 'conn.bytes.resp', entity: ip, ts, value: 1000 });
  }
  return samples;
}

/** A built web app as Vite lays it out (entry, chunk, style sheet, the IP page's chunks in a meta). */
function fakeDist(): string {
  return fakeWebDist(
    'server-charts',
    '<!doctype html><html lang="en"><head><title>ipscope</title><script type="module" crossorigin src="/assets/index-a1.js"></script>' +
      '<meta name="ipscope-ip-page-chunks" content="/assets/IpPage-d4.js"></head><body><div id="root"></div></body></html>',
    ['index-a1.js', 'IpPage-d4.js'],
  );
}

describe('IP page with its charts drawn by the server', () => {
  let t: TestApi;
  let dist: string;
  const ip = '10.0.0.1';
  const view = `?from=${T0}&to=${T0 + MINUTES * 60}&live=0`;
  beforeAll(async () => {
    dist = fakeDist();
    t = await startTestApi(inject('redisUrl'), { webDist: dist });
    await t.store.bulkInsert(dataset(ip));
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  const load = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${t.base}${url}`, { headers });
    return { res, text: await res.text() };
  };

  it('streams one SVG per metric with data, in page order, then the hash-allowed paint mark and the end of the page', async () => {
    const before = t.api.serverChartStats();
    const { res, text } = await load(`/ip/${ip}${view}`);
    expect(res.status).toBe(200);
    const block = /<div id="ipscope-server-charts" class="server-charts" data-theme="dark" data-window="(\d+)-(\d+)" data-width="1243">/.exec(text);
    expect(block?.slice(1).map(Number)).toEqual([T0, T0 + MINUTES * 60]);
    // conn.count.resp and conn.bytes.resp have data; every other default metric is empty and not drawn.
    const keys = [...text.matchAll(/<figure class="metric-chart server-chart" data-chart="([^"]+)"/g)].map((m) => m[1]);
    expect(keys).toEqual(['chart-conn.count.resp', 'chart-conn.bytes.resp']);
    expect(text.match(/<svg width="1243" height="220"/g)?.length).toBe(2);
    expect(text).not.toContain('<style');
    // The mark's script is the one inline script, allowed by its hash and nothing else.
    const script = /<script>([^<]*)<\/script>/.exec(text)?.[1];
    expect(script).toContain("performance.mark('ipscope:server-charts-painted')");
    const policy = res.headers.get('content-security-policy') ?? '';
    const hash = (await import('node:crypto')).createHash('sha256').update(script!).digest('base64');
    expect(policy).toMatch(new RegExp(`script-src 'self' 'sha256-${hash.replace(/[+/]/g, '\\$&')}'(;|$)`));
    expect(policy).not.toContain('unsafe-inline\'; script');
    expect(text.trimEnd().endsWith('</body></html>')).toBe(true);
    const after = t.api.serverChartStats();
    expect(after.pages - before.pages + (after.cacheHits - before.cacheHits)).toBeGreaterThanOrEqual(1);
  });

  it('draws at the width and in the theme the page reported (cookies), and serves the same answers again from its cache', async () => {
    const cookie = 'ipscope-theme=light; ipscope-chart-width=900';
    const first = await load(`/ip/${ip}${view}`, { cookie });
    expect(first.text).toMatch(/<html data-theme="light" lang="en">/);
    expect(first.text).toContain('data-theme="light" data-window=');
    expect(first.text.match(/<svg width="900" height="220"/g)?.length).toBe(2);
    const hits = t.api.serverChartStats().cacheHits;
    const second = await load(`/ip/${ip}${view}`, { cookie });
    expect(t.api.serverChartStats().cacheHits).toBe(hits + 1);
    const block = (html: string) => html.slice(html.indexOf('<div id="ipscope-server-charts"'), html.indexOf('</body>'));
    expect(block(second.text)).toBe(block(first.text));
    // A width the server does not draw at falls back to the default.
    const odd = await load(`/ip/${ip}${view}`, { cookie: 'ipscope-chart-width=99999' });
    expect(odd.text).toContain('data-width="1243"');
  });

  it('reads the summary ahead only after the page has taken the answers it becomes interactive with (series, alerts)', async () => {
    const catalog = (await (await fetch(`${t.base}/api/metrics`)).json()) as CatalogResponse;
    // A view of its own: no answer held or drawing kept from the tests above.
    const own = `?from=${T0}&to=${T0 + (MINUTES - 1) * 60}&live=0`;
    const planned = landingRequests({ pathname: `/ip/${ip}`, search: own }, catalog, Math.floor(Date.now() / 1000));
    const summaryUrl = planned.find((u) => u.includes('/summary?'))!;
    const firstAnswers = planned.filter((u) => u !== summaryUrl);
    expect(firstAnswers.length).toBe(planned.length - 1);
    const page = await load(`/ip/${ip}${own}`);
    expect(page.text).toContain('<figure class="metric-chart server-chart"');
    // The drawings are written; the page has not asked for anything yet. Its summary, asked first, waits for the others.
    const finished: string[] = [];
    const summary = load(summaryUrl).then((r) => (finished.push('summary'), r));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const others = await Promise.all(firstAnswers.map((u) => load(u).then((r) => (finished.push(u), r))));
    for (const o of others) expect(o.res.headers.get('server-timing')).toMatch(/^prefetch;dur=/);
    const s = await summary;
    expect(s.res.status).toBe(200);
    expect(s.res.headers.get('server-timing')).toMatch(/^prefetch;dur=/);
    expect(finished.at(-1)).toBe('summary');
  });

  it('sends a page without drawings, whole, when there is nothing to draw', async () => {
    const { res, text } = await load(`/ip/10.9.9.9${view}`);
    expect(res.status).toBe(200);
    expect(text).not.toContain('ipscope-server-charts');
    expect(text).toContain('<div id="root"></div>');
    expect(text.trimEnd().endsWith('</body></html>')).toBe(true);
  });
});
