import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { parseCsv, type AlertsResponse, type CatalogResponse, type SeriesResponseV1, type SummaryResponse, type TopEntitiesResponse, type TotalsResponse } from '@ipscope/api';
import type { Alert as StoredAlert } from '@ipscope/detect';
import type { Sample } from '@ipscope/timeseries';
import { startTestApi, type TestApi } from './testing/harness';

/** 2024-05-01T12:00:00Z; ten minutes of data follow. */
const T0 = 1_714_564_800;
const MINUTES = 10;
const A = '10.0.0.1';
const B = '10.0.0.2';
const C = '10.1.0.1';
const D = '2001:db8::1';
const E = '192.168.1.1';

/** Connections answered per minute (minute index → count). */
const perMinute: Record<string, (i: number) => number> = {
  [A]: () => 5,
  [B]: (i) => i + 1,
  [C]: (i) => (i < 5 ? 3 : 0),
  [D]: () => 7,
  [E]: () => 1,
};
const totalOf = (ip: string) => Array.from({ length: MINUTES }, (_, i) => perMinute[ip]!(i)).reduce((a, b) => a + b, 0);

function dataset(): Sample[] {
  const samples: Sample[] = [];
  for (let i = 0; i < MINUTES; i++) {
    const ts = T0 + i * 60 + 7;
    for (const [ip, count] of Object.entries(perMinute)) {
      const n = count(i);
      if (n > 0) samples.push({ metric: 'conn.count.resp', entity: ip, ts, value: n });
    }
    samples.push({ metric: 'conn.bytes.resp', entity: A, ts, value: 1000 });
    for (let k = 0; k < 4; k++) samples.push({ metric: 'conn.responded', entity: A, ts, value: 443 });
    samples.push({ metric: 'conn.responded', entity: A, ts, value: 22 });
    for (const peer of ['10.9.0.1', '10.9.0.2', '10.9.0.3']) samples.push({ metric: 'conn.peers.resp', entity: A, ts, value: peer });
    // Who A talked to: answered 10.9.0.1 twice and 10.9.0.2 once a minute, called 2001:db8::9 once.
    samples.push({ metric: 'conn.peer.resp', entity: A, ts, value: '10.9.0.1' }, { metric: 'conn.peer.resp', entity: A, ts, value: '10.9.0.1' });
    samples.push({ metric: 'conn.peer.resp', entity: A, ts, value: '10.9.0.2' }, { metric: 'conn.peer.orig', entity: A, ts, value: '2001:db8::9' });
  }
  return samples;
}

function storedAlert(over: Partial<StoredAlert>): StoredAlert {
  return {
    id: 'a1',
    metric: 'conn.count.resp',
    entity: A,
    severity: 'medium',
    state: 'active',
    start: T0 + 300,
    end: null,
    lastTs: T0 + 300,
    score: 0.97,
    peakScore: 0.97,
    view: 'spike',
    direction: 'up',
    expected: 2,
    observed: 5,
    lower: 0,
    upper: 4,
    explanation: 'conn.count.resp of 10.0.0.1: spike',
    acknowledged: null,
    resolved: null,
    ...over,
  };
}

let t: TestApi;
const range = `from=${T0}&to=${T0 + MINUTES * 60}`;
const get = (path: string, init?: RequestInit) => fetch(`${t.base}${path}`, init);
const getJson = async <T>(path: string): Promise<T> => {
  const res = await get(path);
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as T;
};

beforeAll(async () => {
  t = await startTestApi(inject('redisUrl'));
  await t.store.bulkInsert(dataset());
  await t.alerts.apply([
    { type: 'open', alert: storedAlert({}) },
    { type: 'open', alert: storedAlert({ id: 'd1', entity: D, severity: 'high', start: T0 + 120, lastTs: T0 + 120 }) },
  ]);
});

afterAll(async () => {
  await t?.close();
});

describe('catalog', () => {
  it('lists the catalog metrics with type, unit, description and intervals', async () => {
    const body = await getJson<CatalogResponse>('/api/metrics');
    const conn = body.metrics.find((m) => m.name === 'conn.count.resp');
    expect(conn).toMatchObject({ type: 'count', key: 'resp', unit: 'connections', intervals: ['days', 'months'], ranked: true });
    expect(body.metrics.find((m) => m.name === 'conn.responded')?.ranked).toBe(false);
    expect(conn!.description.length).toBeGreaterThan(10);
    expect(body.metrics.find((m) => m.name === 'conn.duration.resp')?.buckets?.length).toBeGreaterThan(3);
    expect(body.intervals).toEqual([
      { name: 'days', step: 60, steps: 2880 },
      { name: 'months', step: 1800, steps: 4032 },
    ]);
  });
});

describe('top entities', () => {
  it('ranks entities by their total over the range, with sparklines that add up to it', async () => {
    const body = await getJson<TopEntitiesResponse>(`/api/entities/top?metric=conn.count.resp&${range}&limit=3&sparkPoints=5`);
    expect(body.items.map((i) => [i.ip, i.value])).toEqual([
      [D, totalOf(D)],
      [B, totalOf(B)],
      [A, totalOf(A)],
    ]);
    expect(body).toMatchObject({ metric: 'conn.count.resp', interval: 'days', from: T0, to: T0 + 600, cidr: null, sparkStep: 120, complete: true });
    for (const item of body.items) {
      expect(item.sparkline).toHaveLength(5);
      expect(item.sparkline.reduce<number>((a, b) => a + (b ?? 0), 0)).toBe(item.value);
    }
    expect(body.items[1]!.sparkline).toEqual([1 + 2, 3 + 4, 5 + 6, 7 + 8, 9 + 10]);
  });

  it('reads long-range sparklines from half-hour buckets, edges from minutes, adding up exactly', async () => {
    // Two days ending mid-way through the data, starting 17 minutes past a half hour.
    const to = T0 + 300;
    const from = to - 2 * 86_400 + 17 * 60;
    for (const metric of ['conn.count.resp', 'conn.bytes.resp']) {
      const body = await getJson<TopEntitiesResponse>(`/api/entities/top?metric=${metric}&from=${from}&to=${to}&limit=5&sparkPoints=30`);
      expect(body.sparkStep % 1800).toBe(0);
      expect(body.items.length).toBeGreaterThan(0);
      for (const item of body.items) {
        expect(item.sparkline).toHaveLength(Math.floor((to - 1) / body.sparkStep) - Math.floor(from / body.sparkStep) + 1);
        expect(item.sparkline.reduce<number>((a, b) => a + (b ?? 0), 0)).toBe(item.value);
      }
    }
    const b = (await getJson<TopEntitiesResponse>(`/api/entities/top?metric=conn.count.resp&from=${from}&to=${to}&limit=5`)).items.find((i) => i.ip === B);
    expect(b?.value).toBe(1 + 2 + 3 + 4 + 5);
    expect(b?.sparkline.at(-1)).toBe(15);
  });

  it.each([
    ['10.0.0.0/8', [B, A, C]],
    ['10.0.0.0/16', [B, A]],
    ['10.0.0.1/32', [A]],
    ['2001:db8::/32', [D]],
    ['::ffff:10.0.0.0/120', [B, A]],
    ['172.16.0.0/12', []],
  ])('filters by CIDR %s', async (cidr, ips) => {
    const body = await getJson<TopEntitiesResponse>(`/api/entities/top?metric=conn.count.resp&${range}&limit=10&cidr=${encodeURIComponent(cidr)}`);
    expect(body.items.map((i) => i.ip)).toEqual(ips);
    expect(body.complete).toBe(true);
  });

  it('reports the canonical block it applied', async () => {
    const body = await getJson<TopEntitiesResponse>(`/api/entities/top?metric=conn.count.resp&${range}&cidr=${encodeURIComponent('2001:DB8:0::5/32')}`);
    expect(body.cidr).toBe('2001:db8::/32');
  });

  it('defaults the range to the newest data in the store', async () => {
    const body = await getJson<TopEntitiesResponse>('/api/entities/top?metric=conn.count.resp&limit=1');
    expect(body.to).toBe(T0 + 600);
    expect(body.items[0]).toMatchObject({ ip: D, value: totalOf(D) });
  });

  it('sums counts of all entities in /api/totals', async () => {
    const body = await getJson<TotalsResponse>(`/api/totals?${range}`);
    expect(body.totals['conn.count.resp']).toBe([A, B, C, D, E].reduce((s, ip) => s + totalOf(ip), 0));
    expect(body.totals['conn.bytes.resp']).toBe(10_000);
    expect(body.totals['conn.count.orig']).toBe(0);
    // Only metrics the store ranks (counts, by default) have an all-entity total.
    expect(body.totals['conn.responded']).toBeUndefined();
    expect(body.complete).toBe(true);
  });
});

describe('series', () => {
  it('returns several metrics of one IP on one time axis, histograms as value → count', async () => {
    const body = await getJson<SeriesResponseV1>(`/api/ips/${A}/series?metrics=conn.count.resp,conn.bytes.resp,conn.responded,conn.peers.resp&${range}`);
    expect(body).toMatchObject({ ip: A, interval: 'days', bucketStep: 60, from: T0, to: T0 + 600 });
    expect(body.downsampling).toEqual({
      method: 'none',
      factor: 1,
      step: 60,
      aggregation: { 'conn.count.resp': 'sum', 'conn.bytes.resp': 'sum', 'conn.responded': 'merge', 'conn.peers.resp': 'distinct' },
    });
    const [count, bytes, hist, peers] = body.series;
    expect(count).toMatchObject({ kind: 'number', type: 'count', unit: 'connections' });
    expect(count!.points).toEqual(Array.from({ length: 10 }, (_, i) => [T0 + i * 60, 5]));
    expect(bytes!.points.every(([, v]) => v === 1000)).toBe(true);
    expect(hist).toMatchObject({ kind: 'histogram', type: 'histogram' });
    expect(hist!.points[0]).toEqual([T0, { '22': 1, '443': 4 }]);
    expect(peers!.points.every(([, v]) => v === 3)).toBe(true);
  });

  it('accepts any spelling of an IP and answers with its canonical form', async () => {
    const body = await getJson<SeriesResponseV1>(`/api/ips/${encodeURIComponent('2001:DB8:0:0:0:0:0:1')}/series?metrics=conn.count.resp&${range}`);
    expect(body.ip).toBe(D);
    expect(body.series[0]!.points.every(([, v]) => v === 7)).toBe(true);
    const mapped = await getJson<SeriesResponseV1>(`/api/ips/${encodeURIComponent('::ffff:10.0.0.1')}/series?metrics=conn.count.resp&${range}`);
    expect(mapped.ip).toBe(A);
  });

  it('condenses when the range holds more buckets than maxPoints, saying how, and keeps totals', async () => {
    const body = await getJson<SeriesResponseV1>(`/api/ips/${B}/series?metrics=conn.count.resp,conn.responded,conn.peers.resp&${range}&maxPoints=4`);
    expect(body.downsampling).toMatchObject({ method: 'condense', factor: 3, step: 180 });
    const [count] = body.series;
    expect(count!.points.map(([ts]) => ts)).toEqual([T0, T0 + 180, T0 + 360, T0 + 540]);
    expect(count!.points.map(([, v]) => v)).toEqual([1 + 2 + 3, 4 + 5 + 6, 7 + 8 + 9, 10]);
    const a = await getJson<SeriesResponseV1>(`/api/ips/${A}/series?metrics=conn.responded,conn.peers.resp&${range}&maxPoints=2`);
    expect(a.downsampling).toMatchObject({ method: 'condense', factor: 5, step: 300 });
    expect(a.series[0]!.points).toEqual([
      [T0, { '22': 5, '443': 20 }],
      [T0 + 300, { '22': 5, '443': 20 }],
    ]);
    expect(a.series[1]!.points.map(([, v]) => v)).toEqual([3, 3]);
  });

  it('reads the coarser interval', async () => {
    const body = await getJson<SeriesResponseV1>(`/api/ips/${A}/series?metrics=conn.count.resp&interval=months&from=${T0}&to=${T0 + 3600}`);
    expect(body.bucketStep).toBe(1800);
    expect(body.series[0]!.points).toEqual([
      [T0, 50],
      [T0 + 1800, 0],
    ]);
  });
});

describe('export', () => {
  it('serves CSV that reads back to the same numbers as the JSON export', async () => {
    const query = `metrics=conn.count.resp,conn.bytes.resp,conn.responded&${range}`;
    const json = await getJson<SeriesResponseV1>(`/api/ips/${A}/export.json?${query}`);
    const res = await get(`/api/ips/${A}/export.csv?${query}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="ipscope-10\.0\.0\.1-\d+-\d+\.csv"$/);
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual(['timestamp', 'conn.count.resp', 'conn.bytes.resp', 'conn.responded[443]', 'conn.responded[22]']);
    expect(rows).toHaveLength(1 + MINUTES);
    const [count, bytes, hist] = json.series;
    rows.slice(1).forEach((row, i) => {
      expect(row[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(Date.parse(row[0]!) / 1000).toBe(count!.points[i]![0]);
      expect(Number(row[1])).toBe(count!.points[i]![1]);
      expect(Number(row[2])).toBe(bytes!.points[i]![1]);
      const h = hist!.points[i]![1] as Record<string, number>;
      expect([Number(row[3]), Number(row[4])]).toEqual([h['443'], h['22']]);
    });
  });

  it('exports at full resolution by default', async () => {
    const json = await getJson<SeriesResponseV1>(`/api/ips/${A}/export.json?metrics=conn.count.resp&from=${T0}&to=${T0 + 2 * 86_400}`);
    expect(json.downsampling.method).toBe('none');
    expect(json.series[0]!.points).toHaveLength(2880);
  });
});

describe('summary', () => {
  it('gives first and last seen, totals per metric, recent alerts, and says peers are not kept', async () => {
    const body = await getJson<SummaryResponse>(`/api/ips/${A}/summary?${range}`);
    expect(body).toMatchObject({ ip: A, firstSeen: T0, lastSeen: T0 + 540, peersAvailable: false, peers: [] });
    expect(body.totals['conn.count.resp']).toBe(50);
    expect(body.totals['conn.bytes.resp']).toBe(10_000);
    expect(body.totals['conn.responded']).toBe(50);
    expect(body.totals['conn.peers.resp']).toBe(3);
    expect(body.totals['conn.count.orig']).toBe(0);
    expect(body.alerts.map((a) => a.id)).toEqual(['a1']);
  });

  it('lists top peers both ways from the peer histograms (kept in half-hour buckets)', async () => {
    const peersApi = await startTestApi(inject('redisUrl'), { prefix: t.prefix, store: t.store, peers: { out: 'conn.peer.orig', in: 'conn.peer.resp' } });
    try {
      const res = await fetch(`${peersApi.base}/api/ips/${A}/summary?${range}`);
      const body = (await res.json()) as SummaryResponse;
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.peersAvailable).toBe(true);
      expect(body.peers).toEqual([
        { ip: '10.9.0.1', direction: 'in', connections: 20, bytes: null },
        { ip: '10.9.0.2', direction: 'in', connections: 10, bytes: null },
        { ip: '2001:db8::9', direction: 'out', connections: 10, bytes: null },
      ]);
      const two = (await (await fetch(`${peersApi.base}/api/ips/${A}/summary?${range}&peers=2`)).json()) as SummaryResponse;
      expect(two.peers.map((p) => p.ip)).toEqual(['10.9.0.1', '10.9.0.2']);
    } finally {
      await peersApi.running.close();
      await peersApi.redis.quit();
    }
  });

  it('sums long ranges exactly (half-hour buckets inside, minutes at the edges)', async () => {
    const to = T0 + 300;
    const from = to - 2 * 86_400 + 17 * 60;
    const body = await getJson<SummaryResponse>(`/api/ips/${A}/summary?from=${from}&to=${to}`);
    expect(body.totals['conn.count.resp']).toBe(25);
    expect(body.totals['conn.bytes.resp']).toBe(5000);
    expect(body.totals['conn.responded']).toBe(25);
    expect(body.totals['conn.peers.resp']).toBe(3);
  });

  it('says an IP never seen was never seen', async () => {
    const body = await getJson<SummaryResponse>(`/api/ips/203.0.113.9/summary?${range}`);
    expect(body).toMatchObject({ firstSeen: null, lastSeen: null, alerts: [] });
    expect(body.totals['conn.count.resp']).toBe(0);
  });
});

describe('alerts', () => {
  it('lists alerts newest first, with filters', async () => {
    const all = await getJson<AlertsResponse>('/api/alerts');
    expect(all.items.map((a) => a.id)).toEqual(['a1', 'd1']);
    expect(all.items[0]).toMatchObject({ ip: A, metric: 'conn.count.resp', severity: 'medium', state: 'active', status: 'new', expected: 2, observed: 5 });
    expect((await getJson<AlertsResponse>(`/api/alerts?ip=${encodeURIComponent('2001:DB8::1')}`)).items.map((a) => a.id)).toEqual(['d1']);
    expect((await getJson<AlertsResponse>('/api/alerts?severity=high')).items.map((a) => a.id)).toEqual(['d1']);
    expect((await getJson<AlertsResponse>('/api/alerts?metric=conn.count.resp&limit=1')).items.map((a) => a.id)).toEqual(['a1']);
    expect((await getJson<AlertsResponse>(`/api/alerts?from=${T0 + 200}`)).items.map((a) => a.id)).toEqual(['a1']);
    expect((await getJson<AlertsResponse>(`/api/alerts?to=${T0 + 200}`)).items.map((a) => a.id)).toEqual(['d1']);
  });

  it('acknowledges and resolves, recording who and when', async () => {
    const post = (path: string, body: unknown) => get(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const before = Math.floor(Date.now() / 1000);
    const ack = await post('/api/alerts/d1/acknowledge', { by: 'alice' });
    expect(ack.status).toBe(200);
    const acked = ((await ack.json()) as { alert: AlertsResponse['items'][number] }).alert;
    expect(acked.status).toBe('acknowledged');
    expect(acked.acknowledged?.by).toBe('alice');
    expect(acked.acknowledged!.at).toBeGreaterThanOrEqual(before);
    const resolved = ((await (await post('/api/alerts/d1/resolve', { by: 'bob' })).json()) as { alert: AlertsResponse['items'][number] }).alert;
    expect(resolved).toMatchObject({ status: 'resolved', resolved: { by: 'bob' }, acknowledged: { by: 'alice' } });
    expect((await getJson<AlertsResponse>('/api/alerts?status=resolved')).items.map((a) => a.id)).toEqual(['d1']);
    expect((await getJson<AlertsResponse>('/api/alerts?status=new')).items.map((a) => a.id)).toEqual(['a1']);
  });

  it('answers 404 for an unknown alert and 415 for a body that is not JSON', async () => {
    const missing = await get('/api/alerts/nope/acknowledge', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"by":"x"}' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    const form = await get('/api/alerts/a1/acknowledge', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'by=x' });
    expect(form.status).toBe(415);
    expect((await getJson<AlertsResponse>('/api/alerts?ip=10.0.0.1')).items[0]!.status).toBe('new');
  });
});

describe('operations', () => {
  it('reports Redis (and Kafka) health', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ redis: true, kafka: true });
  });

  it('serves Prometheus metrics including request counts per route', async () => {
    await get('/api/metrics');
    const text = await (await get('/metrics')).text();
    expect(text).toMatch(/ipscope_http_requests_total\{method="GET",route="\/api\/metrics",status="200"\} \d+/);
    expect(text).toContain('ipscope_http_request_duration_seconds_bucket');
    expect(text).toContain('ipscope_http_live_streams 0');
  });

  it('serves an OpenAPI document in which every operation exists on the server', async () => {
    const doc = (await getJson<{ openapi: string; paths: Record<string, Record<string, unknown>> }>('/api/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    const samples: Record<string, string> = { '{ip}': A, '{id}': 'a1' };
    for (const [path, methods] of Object.entries(doc.paths)) {
      const url = path.replace(/\{\w+\}/g, (m) => samples[m]!);
      for (const method of Object.keys(methods)) {
        if (path === '/api/stream') continue;
        const res = await get(url, { method: method.toUpperCase(), headers: { 'content-type': 'application/json' }, ...(method === 'post' ? { body: '{}' } : {}) });
        expect(res.status, `${method} ${url}`).not.toBe(404);
        await res.body?.cancel();
      }
    }
  });
});
