import { describe, expect, it } from 'vitest';
import { EdgeChunkCache, outsideFromPrefix, prefixSums } from './edgeChunkCache';
import { outsideTotal, type ValuesFields } from './topEdgeDump';

const prefix = (n: number) => new Float64Array(n);

describe('EdgeChunkCache', () => {
  it('gives back what was kept under the same stamp, and nothing under another', () => {
    const cache = new EdgeChunkCache(100);
    const p = prefix(5);
    cache.keep(cache.chunk('0:min:0:7', 'a'), '0a000001', p);
    expect(cache.chunk('0:min:0:7', 'a').get('0a000001')).toBe(p);
    expect(cache.chunk('0:min:0:7', 'b').get('0a000001')).toBeUndefined();
    // the old stamp's entries are gone for good, and no longer counted
    expect(cache.chunk('0:min:0:7', 'a').get('0a000001')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the least recently used chunks beyond its size, never the chunk being filled', () => {
    const cache = new EdgeChunkCache(30);
    cache.keep(cache.chunk('c1', 's'), 'e1', prefix(10));
    cache.keep(cache.chunk('c2', 's'), 'e1', prefix(10));
    cache.chunk('c1', 's');
    cache.keep(cache.chunk('c3', 's'), 'e1', prefix(10));
    expect(cache.size).toBe(30);
    cache.keep(cache.chunk('c3', 's'), 'e2', prefix(10));
    expect(cache.size).toBe(30);
    expect(cache.chunk('c2', 's').size).toBe(0);
    expect(cache.chunk('c1', 's').get('e1')).toBeDefined();
    const big = new EdgeChunkCache(5);
    const entities = big.chunk('c', 's');
    big.keep(entities, 'e', prefix(6));
    expect(entities.has('e')).toBe(false);
    expect(big.size).toBe(0);
  });
});

describe('prefixSums', () => {
  it.each([
    ['count', 'c', [3, 4, 7, 1, 9, 2, 5, 10, 8, 6, 'x', 'y'] as (number | string)[]],
    ['series', 's', [3, '1,2', 7, '5', 9, '1,1,1', 10, 4, 12, '2'] as (number | string)[]],
  ])('gives the same part outside every cut as summing the fields (%s)', (_, kind, entries) => {
    const fields: ValuesFields = { kind, base: 2, size: 9 };
    const p = prefixSums(entries, fields);
    expect(p).toHaveLength(10);
    for (let o0 = 0; o0 < 9; o0++) {
      for (let o1 = o0; o1 < 9; o1++) expect(outsideFromPrefix(p, { chunk: 0, o0, o1 })).toBe(outsideTotal(entries, fields, { chunk: 0, o0, o1 }));
    }
  });
});
