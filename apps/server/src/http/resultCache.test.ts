import { describe, expect, it } from 'vitest';
import { ResultCache } from './resultCache';

const deferred = <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('ResultCache', () => {
  it('runs one computation for concurrent requests of the same key', async () => {
    const cache = new ResultCache<number>();
    const d = deferred<number>();
    let runs = 0;
    const compute = () => {
      runs++;
      return d.promise;
    };
    const a = cache.get('k', compute);
    const b = cache.get('k', compute);
    d.resolve(7);
    expect(await Promise.all([a, b])).toEqual([7, 7]);
    expect(runs).toBe(1);
  });

  it('serves a result again until the TTL has passed, then recomputes', async () => {
    let now = 1000;
    const cache = new ResultCache<number>({ ttlMs: 500, now: () => now });
    let runs = 0;
    const compute = async () => ++runs;
    expect(await cache.get('k', compute)).toBe(1);
    now = 1499;
    expect(await cache.get('k', compute)).toBe(1);
    now = 1500;
    expect(await cache.get('k', compute)).toBe(2);
    expect(await cache.get('other', compute)).toBe(3);
    expect(cache.hits).toBe(1);
  });

  it('does not keep failures', async () => {
    const cache = new ResultCache<number>();
    await expect(cache.get('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('k', async () => 5)).toBe(5);
  });

  it('with a TTL of 0 only shares work in flight', async () => {
    const cache = new ResultCache<number>({ ttlMs: 0 });
    let runs = 0;
    await cache.get('k', async () => ++runs);
    await new Promise((r) => setTimeout(r, 0));
    await cache.get('k', async () => ++runs);
    expect(runs).toBe(2);
  });

  it('keeps at most maxEntries results, dropping the oldest', async () => {
    const cache = new ResultCache<number>({ maxEntries: 2 });
    await cache.get('a', async () => 1);
    await cache.get('b', async () => 2);
    await cache.get('c', async () => 3);
    expect(cache.size).toBe(2);
    let ran = false;
    await cache.get('a', async () => {
      ran = true;
      return 9;
    });
    expect(ran).toBe(true);
  });
});
