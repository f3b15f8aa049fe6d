import { describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { usePrivateRedis } from './testing/privateRedis';
import { createStore, type Sample, type StoreOptions } from './index';
import { resolveOptions } from './options';
import { ReferenceStore } from './testing/referenceStore';

/**
 * `top` over a range ending at the newest bucket counts the chunk holding it as full (nothing is
 * stored past the newest data). If data past that bucket lands while the ranking runs, the
 * ranking must be redone with the chunk cut, so the answer stays the range's exact totals. The
 * write is made to land at that moment by running it, through a second store, just before the
 * first ranking script reaches the (real) Redis.
 */
const T0 = 1_700_000_000 - (1_700_000_000 % 3600);
const db = usePrivateRedis('top-open-end');

/** The same Redis connection; once armed, `before` runs ahead of the next script calls (all wait for it). */
function withHookBeforeNextScript(client: Redis): { client: Redis; arm(before: () => Promise<void>): void; fired(): boolean } {
  let pending: (() => Promise<void>) | null = null;
  let gate: Promise<void> | null = null;
  const proxy = new Proxy(client, {
    get(target, prop, receiver) {
      const wait = async () => {
        if (pending) {
          gate = pending();
          pending = null;
        }
        if (gate) await gate;
      };
      // scripts run as evalsha, or as callBuffer('evalsha', ...) when their reply holds bytes
      if (prop === 'evalsha' || prop === 'callBuffer') {
        return async (...args: unknown[]) => {
          await wait();
          return (Reflect.get(target, prop, target) as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      // or, one per shard, in a pipeline (shardScripts.ts): the hook runs before it is sent
      if (prop === 'pipeline') {
        return (...args: unknown[]) => {
          const pipeline = (Reflect.get(target, prop, target) as (...a: unknown[]) => ReturnType<Redis['pipeline']>).apply(target, args);
          const exec = pipeline.exec.bind(pipeline);
          pipeline.exec = async () => {
            await wait();
            return exec();
          };
          return pipeline;
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    client: proxy,
    arm: (before) => {
      pending = before;
      gate = null;
    },
    fired: () => gate !== null,
  };
}

describe('top over a range ending at the newest bucket', () => {
  it.each([1, 4])('stays exact when data past the range arrives during the ranking (%i shards)', async (shards) => {
    const prefix = db.prefix('oe');
    const options: StoreOptions = { prefix, shards, metrics: { bytes: { type: 'count' } }, intervals: { min: { step: 60, steps: 600, chunk: 60 } }, maxFutureSeconds: Infinity };
    const hooked = withHookBeforeNextScript(db.redis);
    const store = createStore(hooked.client, options);
    const writer = createStore(db.redis, options);
    const ref = new ReferenceStore(resolveOptions(options));
    const samples: Sample[] = [];
    // two hours; the newest sample at minute 90 (the middle of the second hour's chunk)
    for (let i = 0; i < 40; i++) {
      for (let m = 0; m <= 90; m += 1 + (i % 7)) samples.push({ metric: 'bytes', entity: `10.0.${i}.1`, ts: T0 + m * 60 + 7, value: 1 + ((i * 13 + m) % 17) });
    }
    samples.push({ metric: 'bytes', entity: '10.0.0.1', ts: T0 + 90 * 60, value: 3 });
    await store.bulkInsert(samples);
    ref.insert(samples);
    const q = { metric: 'bytes', interval: 'min', from: T0 + 30 * 60, to: T0 + 90 * 60 + 59, limit: 10, offset: 0 };
    const before = await store.top(q);
    expect(before).toEqual(ref.top(q));

    // while ranking: a quiet host gets a huge count two minutes past the range, in the same chunk
    const late: Sample[] = [{ metric: 'bytes', entity: '10.0.39.1', ts: T0 + 92 * 60, value: 1_000_000 }];
    hooked.arm(async () => {
      await writer.bulkInsert(late);
    });
    const during = await store.top(q);
    expect(hooked.fired()).toBe(true);
    ref.insert(late);
    expect(during).toEqual(ref.top(q));
    expect(during).toEqual(before);
    // and the new data is there for a range that covers it
    const wider = { ...q, to: T0 + 92 * 60 };
    expect((await store.top(wider))[0]).toEqual({ entity: '10.0.39.1', value: expect.any(Number) as number });
    expect(await store.top(wider)).toEqual(ref.top(wider));
  });
});
