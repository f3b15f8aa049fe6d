import { describe, expect, it } from 'vitest';
import { defaultCatalog } from './defaultCatalog';
import { canonicalJson, fingerprint, fnv1a64Hex } from './fingerprint';
import type { MetricDefinition } from './metricDefinition';

const base: MetricDefinition = {
  name: 'conn.count.resp',
  version: 1,
  type: 'count',
  key: 'resp',
  value: { const: 1 },
  description: 'Connections answered.',
  unit: 'connections',
  intervals: ['days', 'months'],
};

describe('fingerprint', () => {
  it('hashes with FNV-1a 64 (published test vectors)', () => {
    expect(fnv1a64Hex('')).toBe('cbf29ce484222325');
    expect(fnv1a64Hex('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex('foobar')).toBe('85944171f73967e8');
  });

  it('writes JSON with sorted keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null }, z: undefined })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  });

  it('ignores property order, interval order and the wording of description and unit', () => {
    const reordered = { unit: 'conns', description: 'Other words.', intervals: ['months', 'days'], value: { const: 1 }, key: 'resp', type: 'count', version: 1, name: 'conn.count.resp' } as const;
    expect(fingerprint(reordered)).toBe(fingerprint(base));
  });

  it.each<[string, Partial<MetricDefinition>]>([
    ['version', { version: 2 }],
    ['type', { type: 'gauge' }],
    ['key', { key: 'orig' }],
    ['value', { value: { field: 'bytes' } }],
    ['filter', { filter: { field: 'proto', op: 'eq', value: 'tcp' } }],
    ['intervals', { intervals: ['days'] }],
    ['name', { name: 'conn.count.other' }],
  ])('changes when the %s changes', (_what, change) => {
    expect(fingerprint({ ...base, ...change })).not.toBe(fingerprint(base));
  });

  it('changes with a weight, and stays what it was for a metric without one', () => {
    const peers: MetricDefinition = { ...base, type: 'histogram', value: { field: 'peerIp', unbounded: true } };
    // the fingerprint of an unweighted definition is the same as before weights existed
    expect(fingerprint(peers)).toBe(fnv1a64Hex(canonicalJson({ filter: null, intervals: ['days', 'months'], key: 'resp', name: 'conn.count.resp', type: 'histogram', value: { field: 'peerIp', unbounded: true }, version: 1 })));
    expect(fingerprint({ ...peers, weight: 'bytes' })).not.toBe(fingerprint(peers));
    expect(fingerprint({ ...peers, weight: 'bytes' })).not.toBe(fingerprint({ ...peers, weight: 'pkts' }));
  });

  it('gives every default metric its own 16-hex-digit fingerprint', () => {
    const prints = defaultCatalog.map(fingerprint);
    expect(new Set(prints).size).toBe(defaultCatalog.length);
    for (const p of prints) expect(p).toMatch(/^[0-9a-f]{16}$/);
  });
});
