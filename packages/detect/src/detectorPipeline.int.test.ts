import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { AlertEvent } from './alert';
import { AlertStore } from './alertStore';
import { Detector } from './detector';
import type { ClosedBucket } from './detector';
import { RedisModelStateStore } from './redisModelStateStore';
import { MONDAY, SeededRandom } from './testing/seededRandom';
import { WebhookNotifier } from './webhookNotifier';

let redis: Redis;
let server: http.Server;
let hookUrl = '';
const received: AlertEvent[] = [];
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'));
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as AlertEvent);
      res.statusCode = 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`;
});

afterAll(async () => {
  for (const c of cleanup) await c();
  await redis.quit();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('detector → alert store → stream and webhook', () => {
  it('turns a port scan in closed buckets into one stored, streamed and delivered alert', async () => {
    const suffix = randomBytes(4).toString('hex');
    const states = new RedisModelStateStore(redis, { prefix: `test:pipe:${suffix}`, shards: 4 });
    const alerts = new AlertStore(redis, { prefix: `test:pipe-alerts:${suffix}` });
    cleanup.push(() => states.clear(), () => alerts.clear());
    const notifier = new WebhookNotifier({ url: hookUrl, initialDelayMs: 10 });
    const random = new SeededRandom(21);
    const detector = new Detector(states, { newcomerAfter: 0, metrics: { conn_state: { kind: 'histogram' } } });
    const reader = redis.duplicate();
    cleanup.push(async () => {
      await reader.quit();
    });
    for (let i = 0; i < 700; i++) {
      const ts = MONDAY + i * 60;
      const scan = i >= 650 && i < 670;
      const buckets: ClosedBucket[] = [
        { metric: 'distinct_ports', entity: '10.0.0.66', ts, value: scan ? 800 + random.poisson(40) : random.poisson(3) },
        { metric: 'conn_state', entity: '10.0.0.66', ts, histogram: scan ? { SF: random.poisson(20), REJ: 700 } : { SF: random.poisson(20), REJ: random.poisson(1) } },
        { metric: 'distinct_ports', entity: '10.0.0.67', ts, value: random.poisson(3) },
      ];
      const { events } = await detector.processStep(ts, buckets);
      await alerts.apply(events);
      await notifier.notifyAll(events);
    }
    const stored = await alerts.list({ entity: '10.0.0.66' });
    expect(stored.map((a) => a.metric).sort()).toEqual(['conn_state', 'distinct_ports']);
    for (const alert of stored) {
      expect(alert.state).toBe('ended');
      expect(alert.start).toBeGreaterThanOrEqual(MONDAY + 650 * 60);
      expect(alert.start).toBeLessThanOrEqual(MONDAY + 653 * 60);
      expect(alert.explanation.length).toBeGreaterThan(20);
    }
    expect(await alerts.list({ entity: '10.0.0.67' })).toEqual([]);
    const streamed = await alerts.readEvents('0', { count: 100, connection: reader });
    expect(streamed.map((e) => e.event.type).filter((t) => t === 'open')).toHaveLength(2);
    expect(received.filter((e) => e.type === 'open').map((e) => e.alert.id).sort()).toEqual(stored.map((a) => a.id).sort());
    const acked = await alerts.acknowledge(stored[0]?.id as string, 'analyst@example');
    expect(acked.acknowledged?.by).toBe('analyst@example');
  });
});
