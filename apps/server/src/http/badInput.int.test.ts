import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startTestApi, type TestApi } from './testing/harness';

const T0 = 1_714_564_800;
let t: TestApi;

beforeAll(async () => {
  t = await startTestApi(inject('redisUrl'));
  await t.store.bulkInsert([{ metric: 'conn.count.resp', entity: '10.0.0.1', ts: T0, value: 1 }]);
});

afterAll(async () => {
  await t?.close();
});

type Case = [url: string, parameter: string, fragment: string];
const long = 'x'.repeat(300);

/** Every endpoint's bad inputs: each must be a 400 naming the parameter and saying why. */
const cases: Record<string, Case[]> = {
  'GET /api/entities/top': [
    ['/api/entities/top', 'metric', 'is required'],
    ['/api/entities/top?metric=Conn.Count', 'metric', 'metric name'],
    ['/api/entities/top?metric=nope.nope', 'metric', 'unknown metric "nope.nope"'],
    ['/api/entities/top?metric=conn.peers.resp', 'metric', 'conn.peers.resp is not ranked (the store keeps no top index for this hll metric); rank by one of conn.count.orig'],
    ['/api/entities/top?metric=conn.responded', 'metric', 'is not ranked'],
    ['/api/entities/top?metric=conn.count.resp&interval=weeks', 'interval', 'unknown interval "weeks"; known: days, months'],
    ['/api/entities/top?metric=conn.count.resp&interval=Days', 'interval', 'interval name'],
    ['/api/entities/top?metric=conn.count.resp&limit=0', 'limit', 'at least 1'],
    ['/api/entities/top?metric=conn.count.resp&limit=abc', 'limit', 'whole number'],
    ['/api/entities/top?metric=conn.count.resp&limit=1001', 'limit', 'at most 1000'],
    ['/api/entities/top?metric=conn.count.resp&limit=1&limit=2', 'limit', 'whole number'],
    ['/api/entities/top?metric=conn.count.resp&cidr=10.0.0.0/33', 'cidr', 'prefix length must be 0 to 32'],
    ['/api/entities/top?metric=conn.count.resp&cidr=2001:db8::/129', 'cidr', 'prefix length must be 0 to 128'],
    ['/api/entities/top?metric=conn.count.resp&cidr=10.0.0.1', 'cidr', 'is not a CIDR block'],
    ['/api/entities/top?metric=conn.count.resp&cidr=10.0.0.300/8', 'cidr', '"10.0.0.300" is not an IPv4 or IPv6 address'],
    ['/api/entities/top?metric=conn.count.resp&from=soon', 'from', 'unix seconds or an ISO-8601'],
    ['/api/entities/top?metric=conn.count.resp&to=1714564800000', 'to', 'looks like milliseconds'],
    [`/api/entities/top?metric=conn.count.resp&from=${T0 + 60}&to=${T0}`, 'from', 'must be before to'],
    [`/api/entities/top?metric=conn.count.resp&from=${T0}&to=${T0}`, 'from', 'must be before to'],
    [`/api/entities/top?metric=conn.count.resp&from=${T0}&to=${T0 + 3 * 86_400}`, 'from', 'more than interval days keeps (2 d'],
    ['/api/entities/top?metric=conn.count.resp&sparkPoints=0', 'sparkPoints', 'at least 1'],
    ['/api/entities/top?metric=conn.count.resp&limt=5', 'limt', 'is not a parameter of this endpoint'],
  ],
  'GET /api/totals': [
    ['/api/totals?interval=weeks', 'interval', 'unknown interval'],
    ['/api/totals?from=2024-02-30', 'from', 'not a real date-time'],
    [`/api/totals?interval=months&from=${T0 - 90 * 86_400}&to=${T0}`, 'from', 'more than interval months keeps (84 d'],
  ],
  'GET /api/ips/:ip/series': [
    ['/api/ips/10.0.0.300/series?metrics=conn.count.resp', 'ip', '"10.0.0.300" is not an IPv4 or IPv6 address'],
    ['/api/ips/01.2.3.4/series?metrics=conn.count.resp', 'ip', 'is not an IPv4 or IPv6 address'],
    ['/api/ips/fe80::1%25eth0/series?metrics=conn.count.resp', 'ip', 'is not an IPv4 or IPv6 address'],
    ['/api/ips/example.com/series?metrics=conn.count.resp', 'ip', 'is not an IPv4 or IPv6 address'],
    ['/api/ips/%E0%A4%A/series?metrics=conn.count.resp', 'path', 'is not valid percent-encoding'],
    [`/api/ips/${long}/series?metrics=conn.count.resp`, 'ip', '…'],
    ['/api/ips/10.0.0.1/series', 'metrics', 'is required'],
    ['/api/ips/10.0.0.1/series?metrics=', 'metrics', 'at least one metric'],
    ['/api/ips/10.0.0.1/series?metrics=conn.count.resp,nope', 'metrics', 'unknown metric "nope"'],
    ['/api/ips/10.0.0.1/series?metrics=conn.count.resp,DROP%20TABLE', 'metrics', 'metric name'],
    ['/api/ips/10.0.0.1/series?metrics=conn.count.resp&maxPoints=0', 'maxPoints', 'at least 1'],
    ['/api/ips/10.0.0.1/series?metrics=conn.count.resp&maxPoints=10001', 'maxPoints', 'at most 10000'],
    ['/api/ips/10.0.0.1/series?metrics=conn.count.resp&from=2024-05-01T12:00:00Z&to=2024-05-01T11:00:00Z', 'from', 'must be before to'],
    ['/api/ips/10.0.0.1/series?metrics=conn.count.resp&to=yesterday', 'to', 'unix seconds or an ISO-8601'],
    ['/api/ips/10.0.0.1/series?metrics=conn.count.resp&from=-5', 'from', 'not negative'],
  ],
  'GET /api/ips/:ip/summary': [
    ['/api/ips/1.2.3/summary', 'ip', 'is not an IPv4 or IPv6 address'],
    ['/api/ips/10.0.0.1/summary?peers=0', 'peers', 'at least 1'],
    ['/api/ips/10.0.0.1/summary?alerts=101', 'alerts', 'at most 100'],
    ['/api/ips/10.0.0.1/summary?interval=hours', 'interval', 'unknown interval'],
    ['/api/ips/10.0.0.1/summary?metrics=conn.count.resp', 'metrics', 'is not a parameter'],
  ],
  'GET /api/ips/:ip/export.csv': [
    ['/api/ips/not-an-ip/export.csv?metrics=conn.count.resp', 'ip', 'is not an IPv4 or IPv6 address'],
    ['/api/ips/10.0.0.1/export.csv?metrics=conn.nope', 'metrics', 'unknown metric'],
    [`/api/ips/10.0.0.1/export.csv?metrics=conn.count.resp&from=${T0}&to=${T0 + 5 * 86_400}`, 'from', 'more than interval days keeps'],
  ],
  'GET /api/ips/:ip/export.json': [['/api/ips/10.0.0.1/export.json?metrics=conn.count.resp&interval=x-y', 'interval', 'interval name']],
  'GET /api/alerts': [
    ['/api/alerts?ip=10.0.0.256', 'ip', 'is not an IPv4 or IPv6 address'],
    ['/api/alerts?severity=urgent', 'severity', 'one of low, medium, high, critical'],
    ['/api/alerts?status=open', 'status', 'one of new, acknowledged, resolved'],
    ['/api/alerts?state=done', 'state', 'active or ended'],
    ['/api/alerts?metric=nope.nope', 'metric', 'unknown metric'],
    ['/api/alerts?limit=0', 'limit', 'at least 1'],
    ['/api/alerts?limit=1001', 'limit', 'at most 1000'],
    [`/api/alerts?from=${T0 + 1}&to=${T0}`, 'from', 'must not be after to'],
  ],
};

describe('bad input gets a 400 naming the parameter and why', () => {
  for (const [endpoint, rows] of Object.entries(cases)) {
    describe(endpoint, () => {
      it.each(rows)('%s → %s', async (url, parameter, fragment) => {
        const res = await fetch(`${t.base}${url}`);
        const body = (await res.json()) as { error: { code: string; parameter: string; message: string; requestId: string } };
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(body.error.code).toBe('bad_request');
        expect(body.error.parameter).toBe(parameter);
        expect(body.error.message).toContain(fragment);
        expect(body.error.message.startsWith(`${parameter}: `)).toBe(true);
        expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
      });
    });
  }

  type PostCase = [path: string, body: string, parameter: string, fragment: string];
  const posts: PostCase[] = [
    ['/api/alerts/a%20b/acknowledge', '{"by":"x"}', 'id', 'alert id'],
    [`/api/alerts/${'a'.repeat(129)}/resolve`, '{"by":"x"}', 'id', 'alert id'],
    ['/api/alerts/a1/acknowledge', '{}', 'by', 'is required'],
    ['/api/alerts/a1/acknowledge', '{"by":"   "}', 'by', 'must name who acts'],
    ['/api/alerts/a1/acknowledge', `{"by":"${'b'.repeat(101)}"}`, 'by', 'at most 100'],
    ['/api/alerts/a1/acknowledge', '{"by":"a\\u0007b"}', 'by', 'control characters'],
    ['/api/alerts/a1/acknowledge', '{"by":5}', 'by', 'must name who acts'],
    ['/api/alerts/a1/resolve', '{"by":"x","note":"y"}', 'note', 'is not a field'],
    ['/api/alerts/a1/resolve', '{"by":', 'body', 'is not valid JSON'],
    ['/api/alerts/a1/resolve', '[1,2]', 'body', 'expected object'],
    ['/api/session', '{}', 'token', 'is required'],
    ['/api/session', '{"token":""}', 'token', 'must be the access token'],
  ];

  it.each(posts)('POST %s %s → %s', async (path, body, parameter, fragment) => {
    const res = await fetch(`${t.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const json = (await res.json()) as { error: { parameter: string; message: string } };
    expect(res.status, JSON.stringify(json)).toBe(400);
    expect(json.error.parameter).toBe(parameter);
    expect(json.error.message).toContain(fragment);
  });

  it('logs each rejected request with its request id', async () => {
    const res = await fetch(`${t.base}/api/entities/top?metric=conn.count.resp&limit=0`);
    const id = res.headers.get('x-request-id');
    await res.body?.cancel();
    const entry = t.logs.find((e) => e.context.requestId === id);
    expect(entry).toMatchObject({ level: 'warn', message: 'request rejected', context: { status: 400, parameter: 'limit' } });
  });
});
