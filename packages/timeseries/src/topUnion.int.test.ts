import { describe, expect, it } from 'vitest';
import { usePrivateRedis } from './testing/privateRedis';
import { createStore, type Sample, type StoreOptions } from './index';
import { resolveOptions } from './options';
import { ReferenceStore } from './testing/referenceStore';
import { keysOf } from './testing/redisFixture';
import { KeyScheme } from './keyScheme';

/**
 * `top` keeps the sum of a range's closed chunk indexes (topUnion.ts) and reuses it for later
 * rankings. These tests change the data under kept sums — late writes into an old hour, deleting
 * an entity, deleting part of a metric, trimming by retention, deleting the whole metric — and
 * check that every ranking afterwards still equals the reference, and that the sums that
 * included a changed chunk are gone from Redis.
 */
const T0 = 1_700_000_000 - (1_700_000_000 % 3600);
const db = usePrivateRedis('top-union');

const METRICS = { bytes: { type: 'count' as const }, sizes: { type: 'histogram' as const, top: true } };
const INTERVALS = { min: { step: 60, steps: 600, chunk: 60 } };

function workload(): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < 60; i++) {
    const entity = i % 6 === 0 ? `2001:db8::${i.toString(16)}` : `10.1.${i}.1`;
    for (let m = i % 5; m < 300; m += 3 + (i % 11)) {
      const value = 1 + ((i * 37 + m * 11) % (i < 10 ? 900 : 90));
      out.push({ metric: 'bytes', entity, ts: T0 + m * 60 + (i % 60), value }, { metric: 'sizes', entity, ts: T0 + m * 60, value: String(value % 7) });
    }
  }
  return out;
}

/** Ranges cutting hours at both ends, sharing their closed chunks, one ending at the newest data. */
const RANGES = [
  { from: T0 + 25 * 60, to: T0 + 250 * 60 + 10 },
  { from: T0 + 10 * 60, to: T0 + 230 * 60 },
  { from: T0 + 70 * 60, to: T0 + 299 * 60 + 59 },
  { from: T0 + 61 * 60, to: T0 + 179 * 60 + 59 },
];

const unionKeys = async (prefix: string): Promise<string[]> => (await keysOf(db.redis, prefix)).filter((k) => /:us:\d+:\d+$/.test(k));

describe('top with kept sums of closed chunks', () => {
  it('stays exact when kept sums are hit by late writes, deletes, partial metric deletes and trimming', async () => {
    const prefix = db.prefix('u');
    const options: StoreOptions = { prefix, shards: 4, metrics: METRICS, intervals: INTERVALS, maxFutureSeconds: Infinity };
    const store = createStore(db.redis, options);
    let held = workload();
    await store.bulkInsert(held);
    const check = async (label: string) => {
      const ref = new ReferenceStore(resolveOptions(options));
      ref.insert(held);
      for (const metric of ['bytes', 'sizes']) {
        for (const r of RANGES) {
          for (const [limit, offset] of [[10, 0], [5, 7]] as const) {
            const q = { metric, interval: 'min', ...r, limit, offset };
            expect(await store.top(q), `${label}: ${JSON.stringify(q)}`).toEqual(ref.top(q));
          }
        }
      }
    };

    await check('fresh');
    const kept = await unionKeys(prefix);
    expect(kept.length).toBeGreaterThan(0);
    // the second ranking of each range reads what the first kept
    await check('again');
    expect(await unionKeys(prefix)).toEqual(kept);

    // a late write into hour 2 of a quiet host: every kept sum that includes chunk 2 goes
    const chunk2 = Math.floor((T0 + 2 * 3600) / 3600);
    const late: Sample[] = [
      { metric: 'bytes', entity: '10.1.59.1', ts: T0 + 2 * 3600 + 300, value: 1_000_000 },
      { metric: 'sizes', entity: '10.1.59.1', ts: T0 + 2 * 3600 + 300, value: '3' },
    ];
    await store.bulkInsert(late);
    held = [...held, ...late];
    const covers = (k: string, c: number) => {
      const m = /:(\d+):(\d+)$/.exec(k);
      return m !== null && Number(m[1]) <= c && c <= Number(m[2]);
    };
    // sums are per shard: those of the host's shard that include chunk 2 go, the others stay
    const tag = new KeyScheme(prefix, 4).tag(new KeyScheme(prefix, 4).shardOf('0a013b01'));
    const hit = (k: string) => k.startsWith(tag) && covers(k, chunk2);
    expect(kept.filter(hit).length).toBeGreaterThan(0);
    expect(await unionKeys(prefix)).toEqual(kept.filter((k) => !hit(k)));
    await check('after a late write');
    expect((await store.top({ metric: 'bytes', interval: 'min', from: T0 + 30 * 60, to: T0 + 250 * 60, limit: 1 }))[0]?.entity).toBe('10.1.59.1');

    // deleting the busiest host
    await store.delete({ entity: '10.1.59.1' });
    held = held.filter((s) => s.entity !== '10.1.59.1');
    await check('after deleting an entity');

    // deleting part of one metric, cutting chunks
    await store.deleteMetric({ metric: 'bytes', from: T0 + 95 * 60, to: T0 + 140 * 60 + 59 });
    held = held.filter((s) => !(s.metric === 'bytes' && s.ts >= T0 + 95 * 60 && s.ts <= T0 + 140 * 60 + 59));
    await check('after deleting part of a metric');

    // retention: newest data 10 h 30 min after T0 leaves hour 0 behind; rankings clip to it
    const far: Sample[] = [
      { metric: 'bytes', entity: '10.1.1.1', ts: T0 + 630 * 60, value: 1 },
      { metric: 'sizes', entity: '10.1.1.1', ts: T0 + 630 * 60, value: '1' },
    ];
    await store.bulkInsert(far);
    await store.trim();
    held = [...held, ...far];
    await check('after trimming');

    // the whole metric: nothing of it is left, kept sums and their registry included
    await store.deleteMetric({ metric: 'bytes' });
    expect((await keysOf(db.redis, prefix)).filter((k) => k.includes(':bytes:'))).toEqual([]);
    held = held.filter((s) => s.metric !== 'bytes');
    await check('after deleting the metric');
  });

  it('keeps nothing with topCacheSeconds 0, with the same answers', async () => {
    const prefix = db.prefix('n');
    const options: StoreOptions = { prefix, shards: 4, metrics: METRICS, intervals: INTERVALS, maxFutureSeconds: Infinity, topCacheSeconds: 0 };
    const store = createStore(db.redis, options);
    const samples = workload();
    await store.bulkInsert(samples);
    const ref = new ReferenceStore(resolveOptions(options));
    ref.insert(samples);
    for (const r of RANGES) {
      const q = { metric: 'bytes', interval: 'min', ...r, limit: 10, offset: 0 };
      expect(await store.top(q)).toEqual(ref.top(q));
    }
    expect((await keysOf(db.redis, prefix)).filter((k) => k.includes(':u') || k.includes('tmp:'))).toEqual([]);
  });

  it.each([-1, 1.5, 86_401, Number.NaN])('refuses topCacheSeconds %s naming the option', (bad) => {
    expect(() => createStore(db.redis, { prefix: 'x', metrics: METRICS, topCacheSeconds: bad })).toThrow(/topCacheSeconds must be a whole number of seconds from 0 to 86400/);
  });
});
