import { describe, expect, it } from 'vitest';
import type { DecodeResult } from './decodeResult';
import { badLines, fixtureLines } from './fixtureLines';
import type { NetEvent } from './netEvent';
import { decodeZeekConnJson } from './zeekConnJson';

const base = {
  origPort: undefined,
  respPort: undefined,
  service: undefined,
  origBytes: 0,
  respBytes: 0,
  origPkts: 0,
  respPkts: 0,
  duration: undefined,
  connState: undefined,
  source: 'zeek',
} as const;

/** Expected events for fixtures/zeek/conn.ndjson, line by line. */
const expected: NetEvent[] = [
  { ...base, ts: 1700000000.123456, origIp: '192.168.1.10', origPort: 52311, respIp: '93.184.216.34', respPort: 443, proto: 'tcp', service: 'ssl', duration: 1.523401, origBytes: 517, respBytes: 4823, connState: 'SF', origPkts: 12, respPkts: 10 },
  { ...base, ts: 1700000001.5, origIp: '10.0.0.5', origPort: 40000, respIp: '10.0.0.9', respPort: 22, proto: 'tcp', connState: 'S0', origPkts: 1 },
  { ...base, ts: 1700000002.25, origIp: '10.0.0.5', origPort: 40001, respIp: '10.0.0.9', respPort: 23, proto: 'tcp', duration: 0.000049, connState: 'REJ', origPkts: 1, respPkts: 1 },
  { ...base, ts: 1700000003.000001, origIp: '2001:db8:0:1::10', origPort: 5353, respIp: '2001:db8:0:1::53', respPort: 53, proto: 'udp', service: 'dns', duration: 0.066852, origBytes: 62, respBytes: 141, connState: 'SF', origPkts: 2, respPkts: 2 },
  { ...base, ts: 1700000004, origIp: '192.168.1.10', origPort: 8, respIp: '192.168.1.1', respPort: 0, proto: 'icmp', duration: 0.001, origBytes: 56, respBytes: 56, connState: 'OTH', origPkts: 1, respPkts: 1 },
  { ...base, ts: 1700000000.25, origIp: '172.16.0.2', origPort: 51000, respIp: '172.16.0.3', respPort: 80, proto: 'tcp', service: 'http', duration: 0.5, origBytes: 300, respBytes: 1200, connState: 'SF', origPkts: 5, respPkts: 4 },
  { ...base, ts: 1700000000.25, origIp: '172.16.0.2', origPort: 51001, respIp: '172.16.0.3', respPort: 80, proto: 'tcp', connState: 'S1', origPkts: 3, respPkts: 2 },
  { ...base, ts: 1700000005.75, origIp: '198.51.100.7', origPort: 60000, respIp: '203.0.113.9', respPort: 25, proto: 'tcp', service: 'smtp', duration: 12, origBytes: 20480, respBytes: 512, connState: 'RSTO', origPkts: 30, respPkts: 20 },
  { ...base, ts: 1700000006.5, origIp: '2001:db8::1', origPort: 1234, respIp: '192.0.2.7', respPort: 80, proto: 'tcp', connState: 'SF', origBytes: 10, respBytes: 20, origPkts: 3, respPkts: 3 },
];

function eventOf(result: DecodeResult): NetEvent {
  if (result.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

describe('decodeZeekConnJson', () => {
  const lines = fixtureLines('zeek/conn.ndjson');

  it('has one expectation per fixture line', () => {
    expect(lines).toHaveLength(expected.length);
  });

  it.each(lines.map((line, i) => [i + 1, line, expected[i]] as const))('decodes fixture line %i exactly', (_n, line, want) => {
    const event = eventOf(decodeZeekConnJson(line));
    expect(event).toStrictEqual({ ...want, ts: event.ts });
    expect(event.ts).toBeCloseTo(want?.ts ?? Number.NaN, 6);
  });

  it('decodes UTF-8 bytes as it decodes text', () => {
    const line = lines[0] ?? '';
    expect(decodeZeekConnJson(new TextEncoder().encode(line))).toStrictEqual(decodeZeekConnJson(line));
  });

  it('decodes a flat record (read field by field) exactly as the same record with nested ids', () => {
    for (const line of lines) {
      const flat = JSON.parse(line) as Record<string, unknown>;
      if (flat['id'] !== undefined || flat['ts'] === undefined) continue;
      const nested: Record<string, unknown> = { id: {} };
      for (const [key, value] of Object.entries(flat)) {
        if (key.startsWith('id.')) (nested['id'] as Record<string, unknown>)[key.slice(3)] = value;
        else nested[key] = value;
      }
      expect(decodeZeekConnJson(JSON.stringify(flat))).toStrictEqual(decodeZeekConnJson(JSON.stringify(nested)));
    }
  });

  it('gives the canonical address and protocol for a spelling seen before, and refuses a bad one every time', () => {
    const record = { ts: 1700000000, 'id.orig_h': '2001:DB8:0:0:0:0:0:10', 'id.resp_h': '::ffff:192.0.2.7', proto: 'TCP' };
    for (let i = 0; i < 3; i++) {
      const event = eventOf(decodeZeekConnJson(JSON.stringify(record)));
      expect([event.origIp, event.respIp, event.proto]).toStrictEqual(['2001:db8::10', '192.0.2.7', 'tcp']);
      const bad = decodeZeekConnJson(JSON.stringify({ ...record, 'id.resp_h': '300.1.2.3' }));
      expect(bad.ok ? undefined : bad.error.reason).toBe('bad_ip');
    }
  });

  it('gives every event the same property set, so the ingest stays monomorphic', () => {
    const keys = lines.map((line) => Object.keys(eventOf(decodeZeekConnJson(line))).join(','));
    expect(new Set(keys).size).toBe(1);
  });

  it.each(fixtureLines('zeek/other-logs.ndjson'))('skips records of other Zeek logs: %s', (line) => {
    const result = decodeZeekConnJson(line);
    expect(result).toMatchObject({ ok: true, kind: 'skip', skip: { reason: 'other_log' } });
  });

  it.each(badLines('zeek/bad-lines.tsv').map((b) => [b.reason, b.field, b.input] as const))(
    'fails with %s on field %s: %s',
    (reason, field, input) => {
      const result = decodeZeekConnJson(input);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.reason).toBe(reason);
      expect(result.error.field).toBe(field);
      expect(result.error.format).toBe('zeek');
      expect(result.error.message.length).toBeGreaterThan(5);
      if (field !== undefined) expect(result.error.message).toContain(field);
    },
  );

  it('fails on bytes that are not UTF-8', () => {
    const result = decodeZeekConnJson(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    expect(result).toMatchObject({ ok: false, error: { reason: 'not_utf8' } });
  });

  it('fails on a message over the size limit without parsing it', () => {
    const result = decodeZeekConnJson(`{"pad":"${'x'.repeat(1024 * 1024)}"}`);
    expect(result).toMatchObject({ ok: false, error: { reason: 'too_large' } });
  });
});
