import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { alertId } from './alert';
import type { Alert, AlertEvent } from './alert';
import { AlertStore } from './alertStore';
import { AlertNotFoundError, InvalidOptionError } from './errors';

let redis: Redis;
const stores: AlertStore[] = [];

function newStore(): AlertStore {
  const store = new AlertStore(redis, { prefix: `test:alerts:${randomBytes(4).toString('hex')}` });
  stores.push(store);
  return store;
}

function alert(overrides: Partial<Alert> = {}): Alert {
  const base: Alert = {
    id: '',
    metric: 'conns',
    entity: '10.0.0.5',
    severity: 'medium',
    state: 'active',
    start: 1_704_067_200,
    end: null,
    lastTs: 1_704_067_260,
    score: 0.6,
    peakScore: 0.6,
    view: 'spike',
    direction: 'up',
    expected: 40.5,
    observed: 1520,
    lower: 10,
    upper: 95.25,
    explanation: 'conns of 10.0.0.5: spike',
    acknowledged: null,
    resolved: null,
    ...overrides,
  };
  return { ...base, id: overrides.id ?? alertId(base.metric, base.entity, base.start) };
}

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});

afterAll(async () => {
  for (const store of stores) await store.clear();
  await redis.quit();
});

describe('AlertStore', () => {
  it('stores open, update and close as one alert and publishes each on the stream', async () => {
    const store = newStore();
    const open = alert();
    const events: AlertEvent[] = [
      { type: 'open', alert: open },
      { type: 'update', alert: { ...open, severity: 'critical', peakScore: 0.97, score: 0.97, lastTs: open.lastTs + 60, observed: 9000 } },
      { type: 'close', alert: { ...open, state: 'ended', end: open.start + 600, lastTs: open.start + 600, severity: 'critical', peakScore: 0.97, observed: 41 } },
    ];
    const ids = await store.apply(events);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    const stored = await store.get(open.id);
    expect(stored).toMatchObject({ state: 'ended', severity: 'critical', peakScore: 0.97, end: open.start + 600, observed: 9000, expected: 40.5 });
    const stream = await store.readEvents('0');
    expect(stream.map((e) => e.event.type)).toEqual(['open', 'update', 'close']);
    expect(stream[2]?.event.alert.state).toBe('ended');
  });

  it('ignores a replayed event: nothing changes, nothing is published', async () => {
    const store = newStore();
    const open = alert();
    await store.apply([{ type: 'open', alert: open }]);
    expect(await store.apply([{ type: 'open', alert: open }, { type: 'update', alert: open }])).toEqual([null, null]);
    expect(await store.readEvents('0')).toHaveLength(1);
  });

  it('lists by IP, metric, severity, state, status and time, newest first', async () => {
    const store = newStore();
    const a = alert({ entity: '10.0.0.1', start: 1000, lastTs: 1000, severity: 'low' });
    const b = alert({ entity: '10.0.0.1', metric: 'bytes', start: 2000, lastTs: 2000, severity: 'high' });
    const c = alert({ entity: '10.0.0.2', start: 3000, lastTs: 3000, severity: 'high', state: 'ended', end: 3300 });
    await store.apply([a, b, c].map((x) => ({ type: 'open' as const, alert: x })));
    const ids = (list: Alert[]): string[] => list.map((x) => x.id);
    expect(ids(await store.list())).toEqual([c.id, b.id, a.id]);
    expect(ids(await store.list({ entity: '10.0.0.1' }))).toEqual([b.id, a.id]);
    expect(ids(await store.list({ metric: 'bytes' }))).toEqual([b.id]);
    expect(ids(await store.list({ severity: 'high' }))).toEqual([c.id, b.id]);
    expect(ids(await store.list({ state: 'active' }))).toEqual([b.id, a.id]);
    expect(ids(await store.list({ from: 1500, to: 2500 }))).toEqual([b.id]);
    expect(ids(await store.list({ limit: 1 }))).toEqual([c.id]);
    await store.acknowledge(a.id, 'ana');
    expect(ids(await store.list({ status: 'acknowledged' }))).toEqual([a.id]);
    expect(ids(await store.list({ status: 'new' }))).toEqual([c.id, b.id]);
  });

  it('records who acknowledged and resolved, and when', async () => {
    const store = newStore();
    const open = alert();
    await store.apply([{ type: 'open', alert: open }]);
    const acked = await store.acknowledge(open.id, 'ana', 1_704_070_000_000);
    expect(acked.acknowledged).toEqual({ by: 'ana', at: 1_704_070_000_000 });
    const again = await store.acknowledge(open.id, 'bob', 1_704_070_100_000);
    expect(again.acknowledged).toEqual({ by: 'ana', at: 1_704_070_000_000 });
    const resolved = await store.resolve(open.id, 'bob', 1_704_070_200_000);
    expect(resolved.resolved).toEqual({ by: 'bob', at: 1_704_070_200_000 });
    expect(resolved.acknowledged?.by).toBe('ana');
    const events = await store.readEvents('0');
    expect(events.map((e) => e.event.type)).toEqual(['open', 'acknowledge', 'resolve']);
    const later = await store.apply([{ type: 'close', alert: { ...open, state: 'ended', end: open.start + 300, lastTs: open.start + 300 } }]);
    expect(later[0]).not.toBeNull();
    expect((await store.get(open.id))?.resolved?.by).toBe('bob');
  });

  it('resolving an alert nobody acknowledged records both', async () => {
    const store = newStore();
    const open = alert();
    await store.apply([{ type: 'open', alert: open }]);
    const resolved = await store.resolve(open.id, 'carol', 5);
    expect(resolved.acknowledged).toEqual({ by: 'carol', at: 5 });
  });

  it('says clearly when the alert does not exist or who is missing', async () => {
    const store = newStore();
    await expect(store.acknowledge('nope', 'ana')).rejects.toThrow(AlertNotFoundError);
    await expect(store.resolve('nope', '  ')).rejects.toThrow(InvalidOptionError);
    await expect(store.list({ limit: 0 })).rejects.toThrow(/limit/);
  });

  it('delivers new events to a blocking reader (the API live stream)', async () => {
    const store = newStore();
    const reader = redis.duplicate();
    try {
      const readerId = await reader.client('ID');
      const pending = store.readEvents('$', { blockMs: 20_000, connection: reader });
      // Publish only once the reader is blocked on the stream (on a loaded machine it may
      // take a while to send its XREAD; '$' would then miss an earlier event).
      for (let i = 0; i < 400; i++) {
        const line = String(await redis.client('LIST', 'ID', readerId));
        if (line.includes('cmd=xread')) break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await store.apply([{ type: 'open', alert: alert() }]);
      const events = await pending;
      expect(events.map((e) => e.event.type)).toEqual(['open']);
    } finally {
      await reader.quit();
    }
  });
});
