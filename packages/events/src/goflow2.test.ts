import { describe, expect, it } from 'vitest';
import type { DecodeResult } from './decodeResult';
import { badLines, fixtureLines } from './fixtureLines';
import { decodeGoflow2 } from './goflow2';
import type { NetEvent } from './netEvent';

const base = { service: undefined, connState: undefined, respBytes: 0, respPkts: 0, source: 'goflow2' } as const;

/** Expected events for fixtures/goflow2/flows.ndjson, line by line. */
const expected: NetEvent[] = [
  { ...base, ts: 1700000000.123456, origIp: '192.168.1.10', origPort: 52311, respIp: '93.184.216.34', respPort: 443, proto: 'tcp', origBytes: 5920, origPkts: 14, duration: 1.5 },
  { ...base, ts: 1700000002.5, origIp: 'fd01::1', origPort: 443, respIp: 'fd01::2', respPort: 50001, proto: 'udp', origBytes: 1500, origPkts: 1, duration: 0 },
  { ...base, ts: 1700000003, origIp: '10.0.0.1', origPort: undefined, respIp: '10.0.0.2', respPort: undefined, proto: 'icmp', origBytes: 84, origPkts: 1, duration: undefined },
  { ...base, ts: 1700000003, origIp: '10.0.0.3', origPort: 1234, respIp: '10.0.0.4', respPort: 80, proto: 'tcp', origBytes: 400, origPkts: 4, duration: 1 },
];

function eventOf(result: DecodeResult): NetEvent {
  if (result.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

describe('decodeGoflow2', () => {
  const lines = fixtureLines('goflow2/flows.ndjson');

  it('has one expectation per fixture line', () => {
    expect(lines).toHaveLength(expected.length);
  });

  it.each(lines.map((line, i) => [i + 1, line, expected[i]] as const))('decodes fixture line %i exactly', (_n, line, want) => {
    const event = eventOf(decodeGoflow2(line));
    expect(event).toStrictEqual({ ...want, ts: event.ts, duration: event.duration });
    expect(event.ts).toBeCloseTo(want?.ts ?? Number.NaN, 6);
    if (want?.duration === undefined) expect(event.duration).toBeUndefined();
    else expect(event.duration).toBeCloseTo(want.duration, 6);
  });

  it('scales sampled counters only when asked', () => {
    const sampled = lines[1] ?? '';
    expect(eventOf(decodeGoflow2(sampled)).origBytes).toBe(1500);
    const scaled = eventOf(decodeGoflow2(sampled, { applySamplingRate: true }));
    expect([scaled.origBytes, scaled.origPkts]).toEqual([150000, 100]);
    const unsampled = eventOf(decodeGoflow2(lines[0] ?? '', { applySamplingRate: true }));
    expect(unsampled.origBytes).toBe(5920);
  });

  it('skips non-IP frames', () => {
    const [line = ''] = fixtureLines('goflow2/non-ip.ndjson');
    expect(decodeGoflow2(line)).toMatchObject({ ok: true, kind: 'skip', skip: { reason: 'not_ip' } });
  });

  it.each(badLines('goflow2/bad-lines.tsv').map((b) => [b.reason, b.field, b.input] as const))(
    'fails with %s on field %s: %s',
    (reason, field, input) => {
      const result = decodeGoflow2(input);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({ reason, field, format: 'goflow2' });
    },
  );
});
