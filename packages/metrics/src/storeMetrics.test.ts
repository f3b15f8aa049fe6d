import { describe, expect, it } from 'vitest';
import { compileCatalog } from './compileCatalog';
import { defaultCatalog } from './defaultCatalog';
import { storeMetrics } from './storeMetrics';

describe('storeMetrics', () => {
  it('configures every catalog metric with its type and intervals', () => {
    const metrics = storeMetrics(compileCatalog(defaultCatalog));
    expect(Object.keys(metrics)).toEqual(defaultCatalog.map((d) => d.name));
    expect(metrics['conn.responded']).toEqual({ type: 'histogram', intervals: ['days', 'months'] });
    expect(metrics['conn.peers.orig']).toEqual({ type: 'hll', intervals: ['days', 'months'] });
  });

  it('follows a subset, so a backfill configures only what it rebuilds', () => {
    const only = compileCatalog(defaultCatalog).subset((m) => m.name.startsWith('conn.count.'));
    expect(storeMetrics(only)).toEqual({
      'conn.count.orig': { type: 'count', intervals: ['days', 'months'] },
      'conn.count.resp': { type: 'count', intervals: ['days', 'months'] },
    });
  });
});
