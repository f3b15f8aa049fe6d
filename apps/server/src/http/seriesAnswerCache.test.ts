import { describe, expect, it } from 'vitest';
import { SeriesAnswerCache } from './seriesAnswerCache';

const bytes = (n: number) => Buffer.alloc(n, 0x61);

describe('SeriesAnswerCache', () => {
  it('keeps answers with their version and replaces an answer of the same request', () => {
    const cache = new SeriesAnswerCache({ maxBytes: 100 });
    cache.set('a', 'v1', bytes(10));
    expect(cache.get('a')?.version).toBe('v1');
    cache.set('a', 'v2', bytes(20));
    expect(cache.get('a')).toEqual({ version: 'v2', bytes: bytes(20) });
    expect(cache.size).toBe(20);
    expect(cache.get('b')).toBeUndefined();
  });

  it('drops the least recently used answers beyond its size, and never keeps one larger than it', () => {
    const cache = new SeriesAnswerCache({ maxBytes: 100 });
    cache.set('a', 'v', bytes(40));
    cache.set('b', 'v', bytes(40));
    cache.get('a'); // a is now the most recently used
    cache.set('c', 'v', bytes(40));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.size).toBe(80);
    cache.set('huge', 'v', bytes(101));
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.size).toBe(80);
  });

  it('keeps nothing with size 0 and refuses an impossible size with a message naming it', () => {
    const off = new SeriesAnswerCache({ maxBytes: 0 });
    off.set('a', 'v', bytes(1));
    expect(off.get('a')).toBeUndefined();
    expect(() => new SeriesAnswerCache({ maxBytes: -1 })).toThrow(/maxBytes must be a whole number of bytes/);
    expect(() => new SeriesAnswerCache({ maxBytes: 1.5 })).toThrow(/got 1.5/);
  });
});
