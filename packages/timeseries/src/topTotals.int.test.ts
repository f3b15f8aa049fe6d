import { describe, expect, it } from 'vitest';
import { usePrivateRedis } from './testing/privateRedis';
import { createStore, InvalidQueryError, type Sample, type StoreOptions } from './index';
import { resolveOptions } from './options';
import { ReferenceStore } from './testing/referenceStore';

/**
 * `topTotals` (a ranked metric's totals per group of whole chunks, from the top indexes) against
 * the reference: each group's total must be what `top` of the reference gives over that group's
 * part of the range — ranges cutting chunks at both ends, retention clipping the start, count,
 * histogram and series metrics, IPv4 and IPv6, entities without data.
 */
const T0 = 1_700_000_000 - (1_700_000_000 % 3600);
const db = usePrivateRedis('top-totals');

describe('topTotals', () => {
  it.each([1, 4])('equals the reference group by group (%i shards)', async (shards) => {
    const options: StoreOptions = {
      prefix: db.prefix('tt'),
      shards,
      metrics: { bytes: { type: 'count' }, sizes: { type: 'histogram', top: true }, rtt: { type: 'series', top: true } },
      intervals: { min: { step: 60, steps: 480, chunk: 60 } },
      maxFutureSeconds: Infinity,
    };
    const store = createStore(db.redis, options);
    const ref = new ReferenceStore(resolveOptions(options));
    const entities = Array.from({ length: 30 }, (_, i) => (i % 4 === 0 ? `2001:db8::${i + 1}` : `10.2.${i}.1`));
    const samples: Sample[] = [];
    entities.forEach((entity, i) => {
      for (let m = i % 7; m < 600; m += 2 + (i % 13)) {
        const v = 1 + ((i * 31 + m * 7) % 50);
        samples.push({ metric: 'bytes', entity, ts: T0 + m * 60 + (i % 50), value: v }, { metric: 'sizes', entity, ts: T0 + m * 60, value: String(v % 5) }, { metric: 'rtt', entity, ts: T0 + m * 60 + 3, value: v / 10 });
      }
    });
    await store.bulkInsert(samples);
    ref.insert(samples);
    const asked = [...entities.slice(0, 20), '10.9.9.9'];
    // retention of 8 hours from the newest data (minute 599) clips ranges starting before minute 120
    for (const [from, to, every] of [
      [T0 + 17 * 60, T0 + 455 * 60 + 30, 7200],
      [T0 + 60 * 60, T0 + 179 * 60 + 59, 3600],
      [T0 + 200 * 60 + 5, T0 + 599 * 60, 3 * 3600],
      [T0 + 130 * 60, T0 + 140 * 60, 3600],
    ] as const) {
      for (const metric of ['bytes', 'sizes', 'rtt']) {
        const got = await store.topTotals({ metric, interval: 'min', entities: asked, from, to, every });
        const first = Math.floor(from / every) * every;
        expect(got.first).toBe(first);
        const expected = asked.map(() => [] as number[]);
        for (let g = first; g <= to; g += every) {
          const inGroup = new Map(ref.top({ metric, interval: 'min', from: Math.max(from, g), to: Math.min(to, g + every - 1), limit: 10_000, offset: 0 }).map((e) => [e.entity, e.value]));
          asked.forEach((e, i) => expected[i]!.push(inGroup.get(e) ?? 0));
        }
        expect(got.lines, `${metric} ${from}..${to} every ${every}`).toEqual(expected);
      }
    }
  });

  it.each([
    [{ every: 1800 }, 'every'],
    [{ every: 0 }, 'every'],
    [{ entities: [] }, 'entities'],
    [{ entities: ['10.0.0.256'] }, 'entity'],
    [{ metric: 'gauge' }, 'metric'],
    [{ from: T0 + 10, to: T0 }, 'from'],
  ])('refuses %o naming %s', async (bad, field) => {
    const store = createStore(db.redis, { prefix: db.prefix('bad'), metrics: { bytes: { type: 'count' }, gauge: { type: 'gauge' } }, intervals: { min: { step: 60, steps: 480, chunk: 60 } } });
    const q = { metric: 'bytes', interval: 'min', entities: ['10.0.0.1'], from: T0, to: T0 + 7200, every: 3600, ...bad };
    const error = await store.topTotals(q).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidQueryError);
    expect(error).toMatchObject({ field });
  });
});
