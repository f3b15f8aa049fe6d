import { describe, expect, it } from 'vitest';
import type { DecodeResult } from './decodeResult';
import { badLines, fixtureLines } from './fixtureLines';
import type { NetEvent } from './netEvent';
import { decodeSuricataEve } from './suricataEve';

const base = { service: undefined, duration: undefined, connState: undefined, origPort: undefined, respPort: undefined, source: 'suricata' } as const;

/** Expected events for fixtures/suricata/flow.ndjson, line by line. */
const expected: NetEvent[] = [
  { ...base, ts: 1700000000.123456, origIp: '192.168.1.10', origPort: 52311, respIp: '93.184.216.34', respPort: 443, proto: 'tcp', service: 'tls', origBytes: 5920, respBytes: 12000, origPkts: 14, respPkts: 12, duration: 1.523401, connState: 'SF' },
  { ...base, ts: 1700000001.5, origIp: '10.0.0.5', origPort: 5353, respIp: '10.0.0.53', respPort: 53, proto: 'udp', service: 'dns', origBytes: 82, respBytes: 161, origPkts: 1, respPkts: 1, duration: 0.066852, connState: 'SF' },
  { ...base, ts: 1700000002, origIp: '10.0.0.5', origPort: 40000, respIp: '10.0.0.9', respPort: 22, proto: 'tcp', origBytes: 74, respBytes: 0, origPkts: 1, respPkts: 0, duration: 0, connState: 'S0' },
  { ...base, ts: 1700000003, origIp: '10.0.0.5', origPort: 40001, respIp: '10.0.0.9', respPort: 23, proto: 'tcp', origBytes: 74, respBytes: 60, origPkts: 1, respPkts: 1, duration: 0.000049, connState: 'REJ' },
  { ...base, ts: 1700000004, origIp: '2001:db8:0:1::10', origPort: 50500, respIp: '2001:db8:0:1::443', respPort: 443, proto: 'tcp', service: 'http', origBytes: 1500, respBytes: 90000, origPkts: 40, respPkts: 70, duration: 2.5, connState: 'RSTO' },
  { ...base, ts: 1700000005, origIp: '192.168.1.10', respIp: '192.168.1.1', proto: 'icmp', origBytes: 98, respBytes: 98, origPkts: 1, respPkts: 1, duration: 0.001 },
  { ...base, ts: 1700000066, origIp: 'fe80::1', respIp: 'ff02::1', proto: 'icmp', origBytes: 118, respBytes: 0, origPkts: 1, respPkts: 0, duration: 0 },
];

function eventOf(result: DecodeResult): NetEvent {
  if (result.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

describe('decodeSuricataEve', () => {
  const lines = fixtureLines('suricata/flow.ndjson');

  it('has one expectation per fixture line', () => {
    expect(lines).toHaveLength(expected.length);
  });

  it.each(lines.map((line, i) => [i + 1, line, expected[i]] as const))('decodes flow fixture line %i exactly', (_n, line, want) => {
    const event = eventOf(decodeSuricataEve(line));
    expect(event).toStrictEqual({ ...want, ts: event.ts, duration: event.duration });
    expect(event.ts).toBeCloseTo(want?.ts ?? Number.NaN, 6);
    expect(event.duration).toBeCloseTo(want?.duration ?? Number.NaN, 6);
  });

  it('keeps alerts as annotations on both IPs', () => {
    const [first, second] = fixtureLines('suricata/alert.ndjson').map(decodeSuricataEve);
    expect(first).toMatchObject({ ok: true, kind: 'annotation' });
    if (first?.kind !== 'annotation' || second?.kind !== 'annotation') throw new Error('expected annotations');
    expect(first.annotation).toStrictEqual({
      kind: 'annotation',
      ts: first.annotation.ts,
      ips: ['192.168.2.14', '209.53.113.5'],
      signature: 'ET HUNTING GENERIC SUSPICIOUS POST to Dotted Quad with Fake Browser 1',
      severity: 2,
      signatureId: 2018358,
      category: 'Potentially Bad Traffic',
      action: 'allowed',
      proto: 'tcp',
      origPort: 50096,
      respPort: 80,
      source: 'suricata',
    });
    expect(first.annotation.ts).toBeCloseTo(1491600277.251547, 6);
    expect(second.annotation).toMatchObject({ ips: ['2001:db8::bad', '2001:db8::10'], severity: 1, action: 'blocked' });
  });

  it.each(fixtureLines('suricata/other-events.ndjson'))('skips other event types: %s', (line) => {
    expect(decodeSuricataEve(line)).toMatchObject({ ok: true, kind: 'skip', skip: { reason: 'event_type' } });
  });

  it.each(badLines('suricata/bad-lines.tsv').map((b) => [b.reason, b.field, b.input] as const))(
    'fails with %s on field %s: %s',
    (reason, field, input) => {
      const result = decodeSuricataEve(input);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({ reason, field, format: 'suricata' });
      if (field !== undefined) expect(result.error.message).toContain(field);
    },
  );

  it.each([
    ['02', '12', 'S1'],
    ['03', '12', 'S2'],
    ['12', '13', 'S3'],
    ['12', '16', 'RSTR'],
    ['06', '00', 'RSTOS0'],
    ['03', '00', 'SH'],
    ['10', '16', 'RSTRH'],
    ['10', '13', 'SHR'],
    ['18', '18', 'OTH'],
    ['02', '10', 'OTH'],
  ])('derives Zeek state from flags toserver %s / toclient %s as %s', (ts, tc, state) => {
    const line = JSON.stringify({
      timestamp: '2023-11-14T22:13:20Z',
      event_type: 'flow',
      src_ip: '10.0.0.1',
      dest_ip: '10.0.0.2',
      proto: 'TCP',
      flow: { pkts_toserver: 2, pkts_toclient: tc === '00' ? 0 : 2 },
      tcp: { tcp_flags_ts: ts, tcp_flags_tc: tc },
    });
    expect(eventOf(decodeSuricataEve(line)).connState).toBe(state);
  });

  it('leaves the state unknown when TCP flags are missing', () => {
    const line = JSON.stringify({ timestamp: '2023-11-14T22:13:20Z', event_type: 'flow', src_ip: '10.0.0.1', dest_ip: '10.0.0.2', proto: 'TCP', flow: {} });
    expect(eventOf(decodeSuricataEve(line)).connState).toBeUndefined();
  });
});
