import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { AlertEvent, BucketEvent, HeartbeatEvent } from '@ipscope/api';
import type { Alert as StoredAlert } from '@ipscope/detect';
import { Redis } from 'ioredis';
import { startTestApi, type TestApi } from './testing/harness';
import { SseReader } from './testing/sseClient';

const T0 = 1_714_564_800;

function storedAlert(id: string, start: number): StoredAlert {
  return {
    id,
    metric: 'conn.count.resp',
    entity: '10.0.0.1',
    severity: 'high',
    state: 'active',
    start,
    end: null,
    lastTs: start,
    score: 0.99,
    peakScore: 0.99,
    view: 'levelShift',
    direction: 'up',
    expected: 1,
    observed: 40,
    lower: 0,
    upper: 3,
    explanation: 'level moved up',
    acknowledged: null,
    resolved: null,
  };
}

let t: TestApi;

beforeAll(async () => {
  t = await startTestApi(inject('redisUrl'), { live: { pollMs: 50, heartbeatMs: 300, maxStreams: 2 } });
  await t.store.bulkInsert([{ metric: 'conn.count.resp', entity: '10.0.0.1', ts: T0 + 30, value: 1 }]);
  // An alert from before any stream opened: streams deliver only later changes.
  await t.alerts.apply([{ type: 'open', alert: storedAlert('old', T0) }]);
});

afterAll(async () => {
  await t?.close();
});

const open = async () => {
  const res = await fetch(`${t.base}/api/stream`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-store');
  return new SseReader(res);
};

describe('live stream', () => {
  it('sends heartbeats, closed buckets as data arrives, and alert changes', async () => {
    const stream = await open();
    try {
      const beat = await stream.next((e) => e.event === 'heartbeat');
      expect((JSON.parse(beat.data) as HeartbeatEvent).time).toBeGreaterThan(T0);
      expect(stream.retry).toBe(5000);

      await t.store.bulkInsert([{ metric: 'conn.count.resp', entity: '10.0.0.2', ts: T0 + 150, value: 2 }]);
      const bucket = await stream.next((e) => e.event === 'bucket');
      expect(JSON.parse(bucket.data) as BucketEvent).toEqual({ interval: 'days', ts: T0 + 60, step: 60 });

      await t.store.bulkInsert([{ metric: 'conn.count.resp', entity: '10.0.0.2', ts: T0 + 1900, value: 2 }]);
      const months = await stream.next((e) => e.event === 'bucket' && (JSON.parse(e.data) as BucketEvent).interval === 'months');
      expect(JSON.parse(months.data) as BucketEvent).toEqual({ interval: 'months', ts: T0, step: 1800 });

      await t.alerts.apply([{ type: 'open', alert: storedAlert('new1', T0 + 60) }]);
      const opened = await stream.next((e) => e.event === 'alert');
      const event = JSON.parse(opened.data) as AlertEvent;
      expect(event.type).toBe('open');
      expect(event.alert).toMatchObject({ id: 'new1', ip: '10.0.0.1', status: 'new', severity: 'high' });

      const ack = await fetch(`${t.base}/api/alerts/new1/acknowledge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"by":"carol"}' });
      expect(ack.status).toBe(200);
      const acked = await stream.next((e) => e.event === 'alert' && (JSON.parse(e.data) as AlertEvent).type === 'acknowledge');
      expect((JSON.parse(acked.data) as AlertEvent).alert).toMatchObject({ id: 'new1', status: 'acknowledged', acknowledged: { by: 'carol' } });

      expect(stream.events.filter((e) => e.event === 'alert').map((e) => (JSON.parse(e.data) as AlertEvent).alert.id)).not.toContain('old');
      const ids = stream.events.map((e) => Number(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    } finally {
      await stream.cancel();
    }
  });

  it('caps concurrent streams with 503, and frees a slot when a client leaves', async () => {
    await waitFor(() => t.api.hub.size === 0);
    const first = await open();
    const second = await open();
    const third = await fetch(`${t.base}/api/stream`);
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('30');
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe('too_many_streams');
    await first.cancel();
    await waitFor(() => t.api.hub.size === 1);
    const again = await open();
    await again.next((e) => e.event === 'heartbeat');
    await second.cancel();
    await again.cancel();
  });

  it('delivers alert changes read with a blocking connection (as the server runs)', async () => {
    const blocking = new Redis(inject('redisUrl'));
    const other = await startTestApi(inject('redisUrl'), { prefix: t.prefix, store: t.store, live: { heartbeatMs: 60_000, pollMs: 500, blockingConnection: blocking } });
    const stream = new SseReader(await fetch(`${other.base}/api/stream`));
    try {
      await waitFor(() => other.api.hub.size === 1);
      await new Promise((r) => setTimeout(r, 200));
      await t.alerts.apply([{ type: 'open', alert: storedAlert('blocking1', T0 + 240) }]);
      const event = await stream.next((e) => e.event === 'alert' && (JSON.parse(e.data) as AlertEvent).alert.id === 'blocking1');
      expect((JSON.parse(event.data) as AlertEvent).type).toBe('open');
    } finally {
      await stream.cancel();
      await other.running.close();
      await other.redis.quit();
      blocking.disconnect();
    }
  });

  it('ends open streams when the server shuts down', async () => {
    const other = await startTestApi(inject('redisUrl'), { prefix: t.prefix, store: t.store, live: { heartbeatMs: 60_000 } });
    const res = await fetch(`${other.base}/api/stream`);
    const stream = new SseReader(res);
    await waitFor(() => other.api.hub.size === 1);
    await other.running.close();
    await stream.waitForEnd();
    expect(stream.ended).toBe(true);
    await other.redis.quit();
  });
});

describe('overview cache', () => {
  it('serves identical overview requests from one computation, yet shows data of a new bucket at once', async () => {
    const url = `${t.base}/api/entities/top?metric=conn.count.resp&limit=5&from=${T0}&to=${T0 + 7200}`;
    const before = (await (await fetch(url)).json()) as { items: Array<{ ip: string; value: number }> };
    const hits = t.api.overviewCacheStats().hits;
    const again = (await (await fetch(url)).json()) as { items: Array<{ ip: string; value: number }> };
    expect(again).toEqual(before);
    expect(t.api.overviewCacheStats().hits).toBe(hits + 1);
    await t.store.bulkInsert([{ metric: 'conn.count.resp', entity: '10.0.0.9', ts: T0 + 3000, value: 500 }]);
    const after = (await (await fetch(url)).json()) as { items: Array<{ ip: string; value: number }> };
    expect(after.items[0]).toEqual({ ip: '10.0.0.9', value: 500, sparkline: expect.any(Array) as unknown });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met in time (open streams: ${t.api.hub.size})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
