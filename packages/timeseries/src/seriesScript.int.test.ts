import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { createStore, type Sample } from './index';

/**
 * The series read script reads a values hash whole (HGETALL) when it holds little besides the
 * wanted buckets and field by field (HMGET) otherwise; both must return exactly the samples
 * written (a plain model built from them), for every value-hash type, whole chunks and cut ones.
 */
const redis = new Redis(inject('redisUrl'));
const prefix = `tsread${Math.floor(Math.random() * 1e9)}`;
afterAll(async () => {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
  redis.disconnect();
});

const T0 = 1_700_000_000 - (1_700_000_000 % 3600);
const metrics = {
  c0: { type: 'count' as const },
  c1: { type: 'count' as const },
  c2: { type: 'count' as const },
  g: { type: 'gauge' as const },
  s: { type: 'series' as const },
};

describe('series read script', () => {
  it('returns every bucket as written, with one or many metrics in a values hash', async () => {
    const store = createStore(redis, { prefix, metrics, intervals: { days: { step: 60, steps: 600 } } });
    const samples: Sample[] = [];
    // entity A: only c0, every minute of 3 hours (hashes hold one metric: HGETALL path)
    for (let m = 0; m < 180; m++) samples.push({ metric: 'c0', entity: '10.1.0.1', ts: T0 + m * 60 + 5, value: m + 1 });
    // entity B: every metric on most minutes (hashes hold five metrics: HMGET path)
    for (let m = 0; m < 180; m++) {
      if (m % 7 === 3) continue;
      samples.push({ metric: 'c0', entity: '2001:db8::b', ts: T0 + m * 60, value: 2 * m });
      samples.push({ metric: 'c1', entity: '2001:db8::b', ts: T0 + m * 60, value: 3 });
      samples.push({ metric: 'c2', entity: '2001:db8::b', ts: T0 + m * 60 + 1, value: 1 });
      samples.push({ metric: 'g', entity: '2001:db8::b', ts: T0 + m * 60, value: m / 4 });
      samples.push({ metric: 's', entity: '2001:db8::b', ts: T0 + m * 60, value: m });
      samples.push({ metric: 's', entity: '2001:db8::b', ts: T0 + m * 60 + 30, value: -m - 1 });
    }
    // entity C: a series metric with long bucket texts (> 64 bytes: the hash becomes a hash table,
    // whose DUMP this code does not parse, so the script reads it)
    for (let m = 0; m < 5; m++) for (let k = 0; k < 30; k++) samples.push({ metric: 's', entity: '10.1.0.3', ts: T0 + m * 60 + k, value: 1000 + k });
    for (let m = 5; m < 120; m++) samples.push({ metric: 'c0', entity: '10.1.0.3', ts: T0 + m * 60, value: m });
    await store.bulkInsert(samples);
    // the model: per metric, entity and minute, the value of the bucket
    const model = new Map<string, number | number[]>();
    for (const x of samples) {
      const k = `${x.metric} ${x.entity} ${Math.floor(x.ts / 60) * 60}`;
      const type = metrics[x.metric as keyof typeof metrics].type;
      const v = x.value as number;
      const prev = model.get(k);
      if (type === 'count') model.set(k, ((prev as number | undefined) ?? 0) + v);
      else if (type === 'gauge') model.set(k, v);
      else model.set(k, [...((prev as number[] | undefined) ?? []), v]);
    }
    const empty = (metric: string) => (metric === 'g' ? null : metric === 's' ? [] : 0);
    const ranges = [
      { from: T0, to: T0 + 3 * 3600 - 1 },
      { from: T0 + 17 * 60, to: T0 + 17 * 60 },
      { from: T0 + 59 * 60, to: T0 + 61 * 60 },
      { from: T0 + 30 * 60, to: T0 + 150 * 60 },
      { from: T0 - 3600, to: T0 + 10 * 60 },
    ];
    let nonEmpty = 0;
    const cases = [['10.1.0.1', ['c0', 'c1']], ['2001:db8::b', ['c0', 'c1', 'c2', 'g', 's']], ['10.1.0.3', ['s', 'c0']]] as const;
    for (const [entity, names] of cases) {
      for (const metric of names) {
        for (const range of ranges) {
          const r = await store.series({ metric, entity, interval: 'days', ...range });
          expect(r.points.length).toBe(Math.floor(range.to / 60) - Math.floor(range.from / 60) + 1);
          for (const p of r.points) {
            expect(p.value, `${metric} ${entity} at ${p.ts}`).toEqual(model.get(`${metric} ${entity} ${p.ts}`) ?? empty(metric));
            if (p.value !== 0 && p.value !== null && !(Array.isArray(p.value) && p.value.length === 0)) nonEmpty++;
          }
        }
      }
    }
    expect(nonEmpty).toBeGreaterThan(1000);
    const a = await store.series({ metric: 'c0', entity: '10.1.0.1', interval: 'days', from: T0, to: T0 + 179 * 60 });
    expect(a.points.map((p) => p.value)).toEqual(Array.from({ length: 180 }, (_, m) => m + 1));
    const s = await store.series({ metric: 's', entity: '2001:db8::b', interval: 'days', from: T0 + 60, to: T0 + 4 * 60 });
    expect(s.points.map((p) => p.value)).toEqual([[1, -2], [2, -3], [], [4, -5]]);
  });
});
