import { describe, expect, it } from 'vitest';
import { compileCatalog } from './compileCatalog';
import { defaultCatalog, ZEEK_CONN_STATES } from './defaultCatalog';
import { describeCatalog } from './describeCatalog';
import { seedIntervals } from './intervals';

describe('defaultCatalog', () => {
  it("holds the seed's example: responses to connection requests, a histogram per responder IP on days and months", () => {
    const seed = defaultCatalog.find((d) => d.name === 'conn.responded');
    expect(seed).toMatchObject({ type: 'histogram', key: 'resp', value: { field: 'respPort' }, intervals: ['days', 'months'] });
    expect(seedIntervals).toEqual({ days: { step: 60, steps: 2880 }, months: { step: 1800, steps: 4032 } });
  });

  it('keeps every family for both sides of a connection', () => {
    const names = defaultCatalog.map((d) => d.name);
    for (const family of ['count', 'bytes', 'pkts', 'peers', 'ports', 'state', 'service', 'duration']) {
      expect(names).toContain(`conn.${family}.orig`);
      expect(names).toContain(`conn.${family}.resp`);
    }
    expect(defaultCatalog.find((d) => d.name === 'conn.peers.orig')?.type).toBe('hll');
    expect(defaultCatalog.find((d) => d.name === 'conn.ports.resp')?.type).toBe('hll');
  });

  it('is frozen, so no one changes it under a running catalog', () => {
    expect(Object.isFrozen(defaultCatalog)).toBe(true);
    expect(Object.isFrozen(defaultCatalog[0]?.value)).toBe(true);
  });

  it('lists name, type, key, unit, description, intervals, version and fingerprint for the API', () => {
    const listing = describeCatalog(compileCatalog(defaultCatalog));
    expect(listing).toHaveLength(defaultCatalog.length);
    expect(listing[0]).toEqual({
      name: 'conn.responded',
      type: 'histogram',
      key: 'resp',
      unit: 'connections',
      description: defaultCatalog[0]?.description,
      intervals: ['days', 'months'],
      version: 1,
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
  });

  it('marks the peer histograms unbounded in the listing, so charts can leave them out', () => {
    const listing = describeCatalog(compileCatalog(defaultCatalog));
    expect(listing.filter((m) => m.unbounded === true).map((m) => m.name)).toEqual(['conn.peer.orig', 'conn.peer.resp', 'conn.peer.orig.bytes', 'conn.peer.resp.bytes']);
    expect(listing.find((m) => m.name === 'conn.peer.resp.bytes')).toMatchObject({ type: 'histogram', key: 'resp', unit: 'bytes', intervals: ['months'] });
  });

  it('lists the bins of transformed metrics in order, with display labels', () => {
    const listing = describeCatalog(compileCatalog(defaultCatalog));
    expect(listing.find((m) => m.name === 'conn.duration.orig')?.buckets).toEqual([
      { value: 0, label: '<0.01s' },
      { value: 0.01, label: '0.01-0.1s' },
      { value: 0.1, label: '0.1-1s' },
      { value: 1, label: '1-10s' },
      { value: 10, label: '10-100s' },
      { value: 100, label: '100-1000s' },
      { value: 1000, label: '1000-10000s' },
      { value: 10000, label: '>=10000s' },
    ]);
    const states = listing.find((m) => m.name === 'conn.state.resp')?.buckets ?? [];
    expect(states.map((b) => b.value)).toEqual([...ZEEK_CONN_STATES, 'other']);
    expect(listing.find((m) => m.name === 'conn.count.orig')?.buckets).toBeUndefined();
  });
});
