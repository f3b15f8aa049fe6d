import type { NetEvent } from '@ipscope/events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCatalog } from './compileCatalog';
import { defaultCatalog } from './defaultCatalog';
import { emitSamples, eventToSamples } from './eventToSamples';
import type { MetricDefinition } from './metricDefinition';
import { referenceSamples } from './referenceSamples';
import type { Sample } from './sample';

const blank: NetEvent = {
  ts: 0,
  origIp: '',
  origPort: undefined,
  respIp: '',
  respPort: undefined,
  proto: 'tcp',
  service: undefined,
  origBytes: 0,
  respBytes: 0,
  origPkts: 0,
  respPkts: 0,
  duration: undefined,
  connState: undefined,
  source: 'zeek',
};

const tls: NetEvent = { ...blank, ts: 1700000000.5, origIp: '10.0.0.1', origPort: 50000, respIp: '10.0.0.2', respPort: 443, service: 'ssl', origBytes: 500, respBytes: 4500, origPkts: 10, respPkts: 8, duration: 1.5, connState: 'SF' };
const scan: NetEvent = { ...blank, ts: 1700000001, origIp: '10.0.0.5', origPort: 40000, respIp: '10.0.0.9', respPort: 22, origPkts: 1, connState: 'S0' };
const refused: NetEvent = { ...scan, respPort: 23, respPkts: 1, connState: 'REJ', duration: 0.00005 };
const ping: NetEvent = { ...blank, ts: 1700000002, origIp: 'fd01::1', respIp: 'fd01::2', proto: 'icmp', origBytes: 84, origPkts: 1, source: 'goflow2' };

/** The default catalog without the peer histograms, which have their own test below. */
const flowCatalog = defaultCatalog.filter((d) => !d.name.startsWith('conn.peer.'));

const s = (metric: string, entity: string, ts: number, value: number | string): Sample => ({ metric, entity, ts, value });

describe('eventToSamples with the default catalog', () => {
  it('records each side as the peer of the other, with the bytes of both directions, in half-hour buckets only', () => {
    const peers = eventToSamples(defaultCatalog, tls).filter((x) => x.metric.startsWith('conn.peer.'));
    expect(peers).toEqual([
      s('conn.peer.orig', '10.0.0.1', tls.ts, '10.0.0.2'),
      s('conn.peer.resp', '10.0.0.2', tls.ts, '10.0.0.1'),
      { ...s('conn.peer.orig.bytes', '10.0.0.1', tls.ts, '10.0.0.2'), weight: 5000 },
      { ...s('conn.peer.resp.bytes', '10.0.0.2', tls.ts, '10.0.0.1'), weight: 5000 },
    ]);
    for (const name of ['conn.peer.orig', 'conn.peer.resp', 'conn.peer.orig.bytes', 'conn.peer.resp.bytes']) {
      expect(defaultCatalog.find((d) => d.name === name)?.intervals).toEqual(['months']);
    }
  });

  it('gives no byte sample for a connection without bytes (a scan), only the connection', () => {
    const peers = eventToSamples(defaultCatalog, scan).filter((x) => x.metric.startsWith('conn.peer.'));
    expect(peers).toEqual([s('conn.peer.orig', '10.0.0.5', scan.ts, '10.0.0.9'), s('conn.peer.resp', '10.0.0.9', scan.ts, '10.0.0.5')]);
  });

  it('hands the weight to a sink as its fifth argument, and only for weighted metrics', () => {
    const got: unknown[][] = [];
    const n = emitSamples(defaultCatalog, ping, (...args) => got.push(args));
    expect(got).toHaveLength(n);
    expect(got.filter((a) => String(a[0]).startsWith('conn.peer.'))).toEqual([
      ['conn.peer.orig', 'fd01::1', ping.ts, 'fd01::2'],
      ['conn.peer.resp', 'fd01::2', ping.ts, 'fd01::1'],
      ['conn.peer.orig.bytes', 'fd01::1', ping.ts, 'fd01::2', 84],
      ['conn.peer.resp.bytes', 'fd01::2', ping.ts, 'fd01::1', 84],
    ]);
    expect(got.filter((a) => a.length !== 4).map((a) => a[0])).toEqual(['conn.peer.orig.bytes', 'conn.peer.resp.bytes']);
  });

  it('gives exactly these samples for a completed TLS connection', () => {
    const t = tls.ts;
    expect(eventToSamples(flowCatalog, tls)).toEqual([
      s('conn.responded', '10.0.0.2', t, 443),
      s('conn.count.orig', '10.0.0.1', t, 1),
      s('conn.count.resp', '10.0.0.2', t, 1),
      s('conn.bytes.orig', '10.0.0.1', t, 5000),
      s('conn.bytes.resp', '10.0.0.2', t, 5000),
      s('conn.pkts.orig', '10.0.0.1', t, 18),
      s('conn.pkts.resp', '10.0.0.2', t, 18),
      s('conn.peers.orig', '10.0.0.1', t, '10.0.0.2'),
      s('conn.peers.resp', '10.0.0.2', t, '10.0.0.1'),
      s('conn.ports.orig', '10.0.0.1', t, 'tcp/443'),
      s('conn.ports.resp', '10.0.0.2', t, 'tcp/443'),
      s('conn.state.orig', '10.0.0.1', t, 'SF'),
      s('conn.state.resp', '10.0.0.2', t, 'SF'),
      s('conn.service.orig', '10.0.0.1', t, 'ssl'),
      s('conn.service.resp', '10.0.0.2', t, 'ssl'),
      s('conn.duration.orig', '10.0.0.1', t, 1),
      s('conn.duration.resp', '10.0.0.2', t, 1),
    ]);
  });

  it('gives exactly these samples for an unanswered SYN: no response, no bytes, no duration', () => {
    const t = scan.ts;
    expect(eventToSamples(flowCatalog, scan)).toEqual([
      s('conn.count.orig', '10.0.0.5', t, 1),
      s('conn.count.resp', '10.0.0.9', t, 1),
      s('conn.pkts.orig', '10.0.0.5', t, 1),
      s('conn.pkts.resp', '10.0.0.9', t, 1),
      s('conn.peers.orig', '10.0.0.5', t, '10.0.0.9'),
      s('conn.peers.resp', '10.0.0.9', t, '10.0.0.5'),
      s('conn.ports.orig', '10.0.0.5', t, 'tcp/22'),
      s('conn.ports.resp', '10.0.0.9', t, 'tcp/22'),
      s('conn.state.orig', '10.0.0.5', t, 'S0'),
      s('conn.state.resp', '10.0.0.9', t, 'S0'),
      s('conn.service.orig', '10.0.0.5', t, 'unknown'),
      s('conn.service.resp', '10.0.0.9', t, 'unknown'),
    ]);
  });

  it('does not count a refused connection (REJ) as responded', () => {
    const metrics = eventToSamples(flowCatalog, refused).map((x) => x.metric);
    expect(metrics).not.toContain('conn.responded');
    expect(eventToSamples(flowCatalog, refused)).toContainEqual(s('conn.state.resp', '10.0.0.9', refused.ts, 'REJ'));
    expect(eventToSamples(flowCatalog, refused)).toContainEqual(s('conn.duration.orig', '10.0.0.5', refused.ts, 0));
  });

  it('gives exactly these samples for a one-way IPv6 ICMP flow without state or ports', () => {
    const t = ping.ts;
    expect(eventToSamples(flowCatalog, ping)).toEqual([
      s('conn.count.orig', 'fd01::1', t, 1),
      s('conn.count.resp', 'fd01::2', t, 1),
      s('conn.bytes.orig', 'fd01::1', t, 84),
      s('conn.bytes.resp', 'fd01::2', t, 84),
      s('conn.pkts.orig', 'fd01::1', t, 1),
      s('conn.pkts.resp', 'fd01::2', t, 1),
      s('conn.peers.orig', 'fd01::1', t, 'fd01::2'),
      s('conn.peers.resp', 'fd01::2', t, 'fd01::1'),
      s('conn.service.orig', 'fd01::1', t, 'unknown'),
      s('conn.service.resp', 'fd01::2', t, 'unknown'),
    ]);
  });

  it('counts an answered UDP exchange as responded on its port', () => {
    const dns: NetEvent = { ...blank, ts: 5, origIp: '10.0.0.5', respIp: '10.0.0.53', respPort: 53, proto: 'udp', origPkts: 1, respPkts: 1, connState: 'SF', service: 'dns' };
    expect(eventToSamples(flowCatalog, dns)[0]).toEqual(s('conn.responded', '10.0.0.53', 5, 53));
  });

  it.each([
    [0, 0],
    [0.0099, 0],
    [0.01, 0.01],
    [0.5, 0.1],
    [9.99, 1],
    [3599, 1000],
    [10000, 10000],
    [86400, 10000],
  ])('bins duration %s at lower edge %s', (duration, label) => {
    const samples = eventToSamples(flowCatalog, { ...tls, duration });
    expect(samples.find((x) => x.metric === 'conn.duration.orig')?.value).toBe(label);
  });

  it('bins connection states Zeek does not define as other', () => {
    const samples = eventToSamples(flowCatalog, { ...tls, connState: 'WEIRD' });
    expect(samples.find((x) => x.metric === 'conn.state.resp')?.value).toBe('other');
  });

  it('appends to a given array, so a batch reuses one', () => {
    const out: Sample[] = [];
    eventToSamples(flowCatalog, tls, out);
    eventToSamples(flowCatalog, scan, out);
    expect(out).toHaveLength(17 + 12);
  });

  it('emits the same samples to a sink without building them', () => {
    const seen: Sample[] = [];
    const n = emitSamples(flowCatalog, tls, (metric, entity, ts, value) => seen.push({ metric, entity, ts, value }));
    expect(n).toBe(17);
    expect(seen).toEqual(eventToSamples(flowCatalog, tls));
  });
});

describe('eventToSamples with custom definitions', () => {
  const def = (over: Partial<MetricDefinition>): MetricDefinition => ({
    name: 'x.test',
    version: 1,
    type: 'count',
    key: 'orig',
    value: { const: 1 },
    description: 'test metric',
    unit: 'things',
    intervals: ['days'],
    ...over,
  });

  it.each<[string, MetricDefinition, NetEvent, (number | string)[]]>([
    ['sent bytes as originator', def({ value: { field: 'sentBytes' } }), tls, [500]],
    ['sent bytes as responder', def({ key: 'resp', value: { field: 'sentBytes' } }), tls, [4500]],
    ['received packets as responder', def({ key: 'resp', value: { field: 'recvPkts' } }), tls, [10]],
    ['zero counts are dropped', def({ value: { field: 'respBytes' } }), scan, []],
    ['a gauge keeps zero', def({ type: 'gauge', value: { field: 'respBytes' } }), scan, [0]],
    ['peer port as a set member', def({ type: 'set', value: { field: 'peerPort' } }), tls, ['443']],
    ['a port histogram keeps numbers', def({ type: 'histogram', value: { field: 'respPort' } }), tls, [443]],
    ['protocol/port as a histogram label', def({ type: 'histogram', key: 'resp', value: { field: 'protoPort' } }), tls, ['tcp/443']],
    ['logBins with range labels', def({ type: 'histogram', value: { field: 'duration', transform: { kind: 'logBins', min: 0.01, max: 10000, unit: 's' } } }), tls, ['1-10s']],
    ['own port as responder', def({ type: 'set', key: 'resp', value: { field: 'ownPort' } }), tls, ['443']],
    ['absent field without default gives nothing', def({ type: 'series', value: { field: 'duration' } }), scan, []],
    ['absent field with default', def({ type: 'series', value: { field: 'duration', default: -1 } }), scan, [-1]],
    ['gt filter passes', def({ filter: { field: 'bytes', op: 'gt', value: 4999 } }), tls, [1]],
    ['gt filter rejects', def({ filter: { field: 'bytes', op: 'gt', value: 5000 } }), tls, []],
    ['lte on an absent field rejects', def({ filter: { field: 'duration', op: 'lte', value: 1 } }), scan, []],
    ['ne on an absent field passes', def({ filter: { field: 'service', op: 'ne', value: 'ssl' } }), scan, [1]],
    ['in filter', def({ filter: { field: 'respPort', op: 'in', values: [22, 23] } }), scan, [1]],
    ['notIn on an absent field passes', def({ filter: { field: 'connState', op: 'notIn', values: ['SF'] } }), ping, [1]],
    ['missing', def({ filter: { field: 'duration', op: 'missing' } }), scan, [1]],
    ['exists', def({ filter: { field: 'duration', op: 'exists' } }), scan, []],
    ['any', def({ filter: { any: [{ field: 'proto', op: 'eq', value: 'udp' }, { field: 'source', op: 'eq', value: 'goflow2' }] } }), ping, [1]],
    ['not', def({ filter: { not: { field: 'proto', op: 'eq', value: 'icmp' } } }), ping, []],
    ['oneOf keeps listed values', def({ type: 'histogram', value: { field: 'proto', transform: { kind: 'oneOf', values: ['tcp'], other: 'rest' } } }), tls, ['tcp']],
    ['oneOf bins the rest', def({ type: 'histogram', value: { field: 'proto', transform: { kind: 'oneOf', values: ['tcp'], other: 'rest' } } }), ping, ['rest']],
    ['logBins on bytes', def({ type: 'histogram', value: { field: 'bytes', transform: { kind: 'logBins', min: 100, max: 1e6, unit: 'B' } } }), tls, ['1000-10000B']],
  ])('%s', (_name, definition, event, values) => {
    expect(eventToSamples([definition], event).map((x) => x.value)).toEqual(values);
  });

  it.each<[string, MetricDefinition['weight'], NetEvent, (number | undefined)[]]>([
    ['sent bytes, from the keyed side (orig)', 'sentBytes', tls, [500]],
    ['received packets', 'recvPkts', tls, [8]],
    ['no sample when the weight is 0', 'respBytes', scan, []],
  ])('weights a histogram by a counter: %s', (_name, weight, event, weights) => {
    const d = def({ type: 'histogram', value: { field: 'connState', transform: { kind: 'oneOf', values: ['SF'], other: 'x' } }, weight });
    expect(eventToSamples([d], event).map((x) => x.weight)).toEqual(weights);
  });

  it('compiles a definition list once and reuses it', () => {
    const defs = [def({})];
    const first = eventToSamples(defs, tls);
    expect(eventToSamples(defs, tls)).toEqual(first);
    expect(() => eventToSamples([def({ name: 'Bad Name' })], tls)).toThrow(/metrics\[0\]\.name/);
  });

  it('restricts a compiled catalog to the metrics a backfill rebuilds', () => {
    const catalog = compileCatalog(flowCatalog);
    const only = catalog.subset((m) => m.name === 'conn.responded');
    expect(only.samples(tls)).toEqual([s('conn.responded', '10.0.0.2', tls.ts, 443)]);
    expect(catalog.metrics).toHaveLength(flowCatalog.length);
  });
});

describe('compiled catalog against the reference interpreter', () => {
  const ip = fc.oneof(fc.ipV4(), fc.constantFrom('2001:db8::1', 'fd01::2', '::1'));
  const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });
  const event: fc.Arbitrary<NetEvent> = fc.record({
    ts: fc.double({ min: 0, max: 2e9, noNaN: true }),
    origIp: ip,
    origPort: maybe(fc.integer({ min: 0, max: 65535 })),
    respIp: ip,
    respPort: maybe(fc.integer({ min: 0, max: 65535 })),
    proto: fc.constantFrom('tcp', 'udp', 'icmp', 'sctp', 'gre'),
    service: maybe(fc.constantFrom('dns', 'ssl', 'http', 'ssl,http')),
    origBytes: fc.nat({ max: 1e9 }),
    respBytes: fc.nat({ max: 1e9 }),
    origPkts: fc.nat({ max: 1e6 }),
    respPkts: fc.nat({ max: 1e6 }),
    duration: maybe(fc.double({ min: 0, max: 1e6, noNaN: true })),
    connState: maybe(fc.constantFrom('SF', 'S0', 'REJ', 'RSTO', 'OTH', 'WEIRD')),
    source: fc.constantFrom('zeek', 'suricata', 'goflow2', 'generic'),
  });

  it('agrees with it on every random event', () => {
    const catalog = compileCatalog(defaultCatalog);
    fc.assert(
      fc.property(event, (e) => {
        expect(catalog.samples(e)).toEqual(referenceSamples(defaultCatalog, e));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same samples by metric position and IP role (emitByRole) on every random event', () => {
    const catalog = compileCatalog(defaultCatalog);
    const peers = catalog.subset((m) => m.name.startsWith('conn.peer'));
    fc.assert(
      fc.property(event, (e) => {
        for (const c of [catalog, peers]) {
          const byRole: Sample[] = [];
          const n = c.emitByRole(e, (metric, role, value, weight) => {
            const m = c.metrics[metric]!;
            byRole.push({ metric: m.name, entity: role === 0 ? e.origIp : e.respIp, ts: e.ts, value, ...(weight === undefined ? {} : { weight }) });
          });
          expect(byRole).toEqual(c.samples(e));
          expect(n).toBe(byRole.length);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
