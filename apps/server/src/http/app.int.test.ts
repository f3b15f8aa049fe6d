import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { createLogger } from '../log';
import { ConnCounts } from '../ingest/connCounts';
import { openStore } from '../storeSetup';
import { createApp } from './app';

const prefix = `itapp${Date.now()}`;
let redis: Redis;
let server: Server;
let base: string;

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'));
  const { store } = openStore(redis, prefix);
  await store.bulkInsert(Array.from({ length: 5 }, (_, i) => ({ metric: 'conn.count.resp', entity: '10.9.9.9', ts: 1_699_999_980 + i, value: 1 })));
  const counts = new ConnCounts(store);
  server = createApp({ redis, counts, log: createLogger('test', 'error') }).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  const keys = [...(await redis.keys(`{${prefix}:*`)), ...(await redis.keys(`{${prefix}}*`))];
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('HTTP API (real Redis)', () => {
  it('returns the busiest IPs', async () => {
    const res = await fetch(`${base}/api/top?limit=5`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ items: [{ ip: '10.9.9.9', connections: 5 }] });
  });

  it('returns a filled minute series', async () => {
    const res = await fetch(`${base}/api/ips/10.9.9.9/series?from=1699999800&to=1700000100`);
    const body = (await res.json()) as { points: Array<[number, number]> };
    expect(body.points).toHaveLength(5);
    expect(body.points.find(([t]) => t === 1_699_999_980)).toEqual([1_699_999_980, 5]);
  });

  it.each([
    ['/api/top?limit=0', 'limit', 'at least 1'],
    ['/api/top?limit=abc', 'limit', ''],
    ['/api/top?limit=5000', 'limit', 'at most 1000'],
    ['/api/ips/10.0.0.300/series', 'ip', 'not an IPv4 or IPv6'],
    ['/api/ips/10.0.0.1/series?from=20&to=10', 'from', 'before to'],
    ['/api/ips/10.0.0.1/series?from=soon', 'from', 'unix seconds'],
    ['/api/ips/10.0.0.1/series?from=0&to=999999', 'from', 'at most 2 days'],
  ])('GET %s is a 400 naming %s', async (url, parameter, fragment) => {
    const res = await fetch(`${base}${url}`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { parameter: string; message: string; requestId: string } };
    expect(body.error.parameter).toBe(parameter);
    expect(body.error.message).toContain(fragment);
    expect(body.error.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await fetch(`${base}/api/nope`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('reports health of Redis', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ redis: true, kafka: true });
  });
});
