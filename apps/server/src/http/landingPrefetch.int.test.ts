import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CatalogResponse, SeriesResponseV1 } from '@ipscope/api';
import type { Sample } from '@ipscope/timeseries';
import { landingRequests } from '@ipscope/web/serverContract';
import { fakeWebDist } from './testing/fakeWebDist';
import { startTestApi, type TestApi } from './testing/harness';

/** 2024-05-01T12:00:00Z; ten minutes of data follow. */
const T0 = 1_714_564_800;
const MINUTES = 10;
const TOKEN = 'landing-prefetch-test-token-0123456789';

function dataset(ip: string): Sample[] {
  const samples: Sample[] = [];
  for (let i = 0; i < MINUTES; i++) {
    const ts = T0 + i * 60 + 7;
    samples.push({ metric: 'conn.count.resp', entity: ip, ts, value: i + 1 });
    samples.push({ metric: 'conn.bytes.resp', entity: ip, ts, value: 1000 });
    samples.push({ metric: 'conn.responded', entity: ip, ts, value: 443 });
  }
  return samples;
}

/** A built web app as Vite lays it out: an entry, a preloaded chunk, a style sheet, and the IP page's chunks listed in a meta. */
function fakeDist(): string {
  return fakeWebDist(
    'landing',
    '<!doctype html><html><head><title>ipscope</title><script type="module" crossorigin src="/assets/index-a1.js"></script>' +
      '<link rel="modulepreload" crossorigin href="/assets/app-b2.js"><link rel="stylesheet" crossorigin href="/assets/app-c3.css">' +
      '<meta name="ipscope-ip-page-chunks" content="/assets/IpPage-d4.js /assets/Badge-e5.js"></head><body><div id="root"></div></body></html>',
    ['index-a1.js', 'app-b2.js', 'app-c3.css', 'IpPage-d4.js', 'Badge-e5.js'],
  );
}

const embeddedCatalog = (html: string): CatalogResponse | undefined => {
  const m = /<script type="application\/json" id="ipscope-catalog">([^<]*)<\/script>/.exec(html);
  return m ? (JSON.parse(m[1]!) as CatalogResponse) : undefined;
};

describe('IP page: catalog in the HTML, code preloaded, data read ahead', () => {
  let t: TestApi;
  let dist: string;
  const ip = '10.0.0.1';
  const v6 = '2001:db8::1';
  const view = `?from=${T0}&to=${T0 + MINUTES * 60}&live=0`;
  beforeAll(async () => {
    dist = fakeDist();
    t = await startTestApi(inject('redisUrl'), { webDist: dist });
    await t.store.bulkInsert([...dataset(ip), ...dataset(v6)]);
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  const getText = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${t.base}${url}`, { headers });
    return { res, text: await res.text() };
  };

  it('puts the catalog into every page (as data, not script) and preload links for the IP page chunks into IP pages only', async () => {
    const catalog = (await (await fetch(`${t.base}/api/metrics`)).json()) as CatalogResponse;
    const ipPage = await getText(`/ip/${ip}${view}`);
    expect(ipPage.res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(ipPage.res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(embeddedCatalog(ipPage.text)).toEqual(catalog);
    expect(ipPage.text).toContain('<link rel="modulepreload" crossorigin href="/assets/IpPage-d4.js"><link rel="modulepreload" crossorigin href="/assets/Badge-e5.js">');
    expect(ipPage.text.indexOf('ipscope-catalog')).toBeLessThan(ipPage.text.indexOf('</head>'));

    for (const other of ['/', '/ip/not-an-address', '/nowhere']) {
      const page = await getText(other);
      expect(embeddedCatalog(page.text), other).toEqual(catalog);
      expect(page.text, other).not.toContain('href="/assets/IpPage-d4.js"');
    }
  });

  it("answers the page's first requests with data read once its code was sent, identical to a fresh read", async () => {
    const before = t.api.prefetchStats();
    const catalog = (await (await fetch(`${t.base}/api/metrics`)).json()) as CatalogResponse;
    const planned = landingRequests({ pathname: `/ip/${ip}`, search: view }, catalog, Math.floor(Date.now() / 1000));
    expect(planned.length).toBe(4);

    await getText(`/ip/${ip}${view}`);
    // The browser fetches the page's code and style; the reads begin once the last has gone out.
    for (const f of ['index-a1.js', 'app-b2.js', 'app-c3.css', 'IpPage-d4.js', 'Badge-e5.js']) expect((await fetch(`${t.base}/assets/${f}`)).status).toBe(200);
    const answers = await Promise.all(planned.map((u) => getText(u)));
    for (const [i, a] of answers.entries()) {
      expect(a.res.status, planned[i]).toBe(200);
      expect(a.res.headers.get('server-timing'), planned[i]).toMatch(/^prefetch;dur=\d+(\.\d+)?$/);
      expect(a.res.headers.get('cache-control')).toBe('no-store');
      expect(a.res.headers.get('content-type')).toMatch(/^application\/json/);
    }
    expect(t.api.prefetchStats().served - before.served).toBe(4);

    // Asked again, the same requests are read by the route (a held answer is handed out once) and say the same.
    const again = await Promise.all(planned.map((u) => getText(u)));
    for (const [i, a] of again.entries()) {
      expect(a.res.headers.get('server-timing'), planned[i]).toBeNull();
      expect(JSON.parse(a.text), planned[i]).toEqual(JSON.parse(answers[i]!.text));
    }
    const series = JSON.parse(answers[0]!.text) as SeriesResponseV1;
    expect(series.series.find((s) => s.metric === 'conn.count.resp')?.points.some((p) => p[1] === 10)).toBe(true);
  });

  it('reads ahead for an IPv6 page, whose address is escaped in the API path', async () => {
    const before = t.api.prefetchStats().served;
    const catalog = (await (await fetch(`${t.base}/api/metrics`)).json()) as CatalogResponse;
    const planned = landingRequests({ pathname: `/ip/${v6}`, search: view }, catalog, Math.floor(Date.now() / 1000));
    expect(planned[0]).toContain(`/api/ips/${encodeURIComponent(v6)}/series?`);
    await getText(`/ip/${v6}${view}`);
    // No code requests at all (a browser with the code cached): the page's own request starts the reads.
    const first = await getText(planned[0]!);
    expect(first.res.headers.get('server-timing')).toMatch(/^prefetch/);
    expect((JSON.parse(first.text) as SeriesResponseV1).ip).toBe(v6);
    await Promise.all(planned.slice(1).map((u) => getText(u)));
    expect(t.api.prefetchStats().served - before).toBe(4);
  });

  it('reads again for a page loaded again: an answer held from the earlier load is never handed out', async () => {
    const ip3 = '10.0.0.3';
    await t.store.bulkInsert(dataset(ip3));
    const catalog = (await (await fetch(`${t.base}/api/metrics`)).json()) as CatalogResponse;
    const [seriesUrl] = landingRequests({ pathname: `/ip/${ip3}`, search: view }, catalog, Math.floor(Date.now() / 1000));
    const loadPage = async () => {
      await getText(`/ip/${ip3}${view}`);
      for (const f of ['index-a1.js', 'app-b2.js', 'app-c3.css', 'IpPage-d4.js', 'Badge-e5.js']) await fetch(`${t.base}/assets/${f}`);
    };
    await loadPage();
    // The first load's reads run and are held, but its page never asks; then more traffic is stored and the page is loaded again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.store.bulkInsert([{ metric: 'conn.count.resp', entity: ip3, ts: T0 + 7, value: 1000 }]);
    await loadPage();
    const answer = await getText(seriesUrl!);
    expect(answer.res.headers.get('server-timing')).toMatch(/^prefetch/);
    const points = (JSON.parse(answer.text) as SeriesResponseV1).series.find((s) => s.metric === 'conn.count.resp')!.points;
    expect(points.find((p) => p[0] === T0)?.[1]).toBe(1001);
  });

  it('reads nothing ahead for a page that is not an IP page or names a bad address, and never for a request the page did not plan', async () => {
    const before = t.api.prefetchStats();
    await getText('/');
    await getText('/ip/999.1.1.1');
    await getText(`/ip/${ip}?from=${T0}&to=${T0 + 600}&live=0&metrics=conn.count.resp`);
    const other = await getText(`/api/ips/${ip}/series?metrics=conn.bytes.resp&interval=days&from=${T0}&to=${T0 + 600}`);
    expect(other.res.status).toBe(200);
    expect(other.res.headers.get('server-timing')).toBeNull();
    // Only the one-metric IP page planned reads: its series, alerts and summary.
    expect(t.api.prefetchStats().started - before.started).toBe(3);
  });
});

describe('read-ahead and the access token', () => {
  let t: TestApi;
  let dist: string;
  beforeAll(async () => {
    dist = fakeDist();
    t = await startTestApi(inject('redisUrl'), { webDist: dist, security: { token: TOKEN } });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('gives a request without access neither the catalog nor any read, and one with a session both', async () => {
    const page = `/ip/10.0.0.1?from=${T0}&to=${T0 + 600}&live=0`;
    // Not a browser (no text/html accepted): the gate lets it through to the page, but with no data in it.
    const anonymous = await fetch(`${t.base}${page}`, { headers: { accept: 'application/json' } });
    expect(anonymous.status).toBe(200);
    expect(await anonymous.text()).not.toContain('ipscope-catalog');
    expect(t.api.prefetchStats().started).toBe(0);

    const login = await fetch(`${t.base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const withSession = await fetch(`${t.base}${page}`, { headers: { accept: 'text/html', cookie } });
    expect(await withSession.text()).toContain('ipscope-catalog');
    expect(t.api.prefetchStats().started).toBe(4);
    // Another client without the cookie gets no held answer: it is refused before the read-ahead is consulted.
    const catalog = (await (await fetch(`${t.base}/api/metrics`, { headers: { cookie } })).json()) as CatalogResponse;
    const [first] = landingRequests({ pathname: '/ip/10.0.0.1', search: page.slice(page.indexOf('?')) }, catalog, Math.floor(Date.now() / 1000));
    expect((await fetch(`${t.base}${first!}`)).status).toBe(401);
    const mine = await fetch(`${t.base}${first!}`, { headers: { cookie } });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('server-timing')).toMatch(/^prefetch/);
  });
});
