import { describe, expect, it } from 'vitest';
import type { DecodeResult } from './decodeResult';
import { fixtureLines } from './fixtureLines';
import type { NetEvent } from './netEvent';
import { createZeekTsvReader } from './zeekTsv';

function readAll(lines: readonly string[]): DecodeResult[] {
  const reader = createZeekTsvReader();
  return lines.map((line) => reader.line(line));
}

function events(results: readonly DecodeResult[]): NetEvent[] {
  return results.flatMap((r) => (r.kind === 'event' ? [r.event] : []));
}

function kinds(results: readonly DecodeResult[]): string[] {
  return results.map((r) => (r.kind === 'skip' ? `skip:${r.skip.reason}` : r.kind === 'error' ? `error:${r.error.reason}` : r.kind));
}

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

describe('createZeekTsvReader', () => {
  it('reads the standard conn.log header and rows, with - unset and (empty) values', () => {
    const results = readAll(fixtureLines('zeek/conn.log'));
    expect(kinds(results)).toEqual([
      ...Array<string>(8).fill('skip:header'),
      'event',
      'event',
      'event',
      'event',
      'event',
      'skip:header',
    ]);
    expect(events(results)).toEqual([
      { ...base, ts: 1700000000.123456, origIp: '192.168.1.10', origPort: 52311, respIp: '93.184.216.34', respPort: 443, proto: 'tcp', service: 'ssl', duration: 1.523401, origBytes: 517, respBytes: 4823, connState: 'SF', origPkts: 12, respPkts: 10 },
      { ...base, ts: 1700000001.5, origIp: '10.0.0.5', origPort: 40000, respIp: '10.0.0.9', respPort: 22, proto: 'tcp', connState: 'S0', origPkts: 1 },
      { ...base, ts: 1700000003.000001, origIp: '2001:db8:0:1::10', origPort: 5353, respIp: '2001:db8:0:1::53', respPort: 53, proto: 'udp', service: 'dns', duration: 0.066852, origBytes: 62, respBytes: 141, connState: 'SF', origPkts: 2, respPkts: 2 },
      { ...base, ts: 1700000004, origIp: '192.168.1.10', origPort: 8, respIp: '192.168.1.1', respPort: 0, proto: 'icmp', duration: 0.001, origBytes: 56, respBytes: 56, connState: 'OTH', origPkts: 1, respPkts: 1 },
      { ...base, ts: 1700000009, origIp: '10.1.1.1', origPort: 1024, respIp: '10.1.1.2', respPort: 4789, proto: 'udp', duration: 3, origBytes: 1000, connState: 'S0', origPkts: 10 },
    ]);
  });

  it('exposes the header in force', () => {
    const reader = createZeekTsvReader();
    for (const line of fixtureLines('zeek/conn.log').slice(0, 8)) reader.line(line);
    expect(reader.header).toMatchObject({ separator: '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-', path: 'conn' });
    expect(reader.header?.fields).toHaveLength(21);
    expect(reader.header?.types?.[0]).toBe('time');
  });

  it('follows a header with another separator, custom unset/empty markers, reordered and extra columns, CRLF', () => {
    const raw = fixtureLines('zeek/conn-variant.log');
    const results = readAll(raw);
    expect(kinds(results)).toEqual([...Array<string>(7).fill('skip:header'), 'event', 'event', 'event']);
    expect(events(results)).toEqual([
      { ...base, ts: 1700000010.5, origIp: 'fd00::1', origPort: 50500, respIp: 'fd00::2', respPort: 8443, proto: 'tcp', duration: 2.5, origBytes: 1500, respBytes: 90000, connState: 'SF', origPkts: 40, respPkts: 70 },
      { ...base, ts: 1700000011.25, origIp: '10.9.9.1', origPort: 123, respIp: '10.9.9.9', respPort: 123, proto: 'udp', origBytes: 48, respBytes: 48, connState: 'SF', origPkts: 1, respPkts: 1 },
      { ...base, ts: 1700000012, origIp: '10.9.9.1', origPort: 49152, respIp: '10.9.9.9', respPort: 3389, proto: 'tcp', duration: 0.3, connState: 'RSTR', origPkts: 2, respPkts: 1 },
    ]);
  });

  it('starts over at each #separator of a concatenated archive', () => {
    const results = readAll(fixtureLines('zeek/conn-concatenated.log'));
    const got = events(results);
    expect(got).toHaveLength(2);
    expect(got[1]).toEqual({ ...base, ts: 1700003600, origIp: '10.2.0.1', origPort: 33000, respIp: '10.2.0.2', respPort: 443, proto: 'tcp', origBytes: 100, respBytes: 200, origPkts: 2, respPkts: 2, connState: 'SF' });
  });

  it('does not read a dns.log as conn records', () => {
    const results = readAll(fixtureLines('zeek/dns.log'));
    const last = results[results.length - 1];
    expect(last).toMatchObject({ ok: false, error: { reason: 'no_header', format: 'zeek-tsv' } });
    expect(last?.ok === false && last.error.message).toContain('#path dns');
  });

  it('reports data before any header', () => {
    const reader = createZeekTsvReader();
    const result = reader.line('1700000000.0\tC1\t10.0.0.1\t1\t10.0.0.2\t2\ttcp');
    expect(result).toMatchObject({ ok: false, error: { reason: 'no_header' } });
  });

  it('rejects a #fields header without the required fields, and the lines after it', () => {
    const reader = createZeekTsvReader();
    expect(reader.line('#separator \\x09').kind).toBe('skip');
    const header = reader.line('#fields\tts\tuid\tid.orig_h\tproto');
    expect(header).toMatchObject({ ok: false, error: { reason: 'bad_header' } });
    expect(header.ok === false && header.error.message).toContain('id.resp_h');
    expect(reader.line('1700000000.0\tC1\t10.0.0.1\ttcp')).toMatchObject({ ok: false, error: { reason: 'no_header' } });
  });

  it('rejects #types that do not match #fields', () => {
    const reader = createZeekTsvReader();
    reader.line('#fields\tts\tid.orig_h\tid.resp_h\tproto');
    expect(reader.line('#types\ttime\taddr\taddr')).toMatchObject({ ok: false, error: { reason: 'bad_header' } });
  });

  it('reports rows with the wrong number of columns', () => {
    const reader = createZeekTsvReader();
    reader.line('#fields\tts\tid.orig_h\tid.resp_h\tproto');
    expect(reader.line('1700000000.0\t10.0.0.1\t10.0.0.2')).toMatchObject({ ok: false, error: { reason: 'column_count' } });
    expect(reader.line('1700000000.0\t10.0.0.1\t10.0.0.2\ttcp').kind).toBe('event');
  });

  it('reports bad values by field and keeps reading', () => {
    const reader = createZeekTsvReader();
    reader.line('#fields\tts\tid.orig_h\tid.resp_h\tid.resp_p\tproto\torig_bytes');
    const bad = reader.line('1700000000.0\t10.0.0.1\t10.0.0.2\t99999\ttcp\t1');
    expect(bad).toMatchObject({ ok: false, error: { reason: 'bad_port', field: 'id.resp_p' } });
    const bytes = reader.line('1700000000.0\t10.0.0.1\t10.0.0.2\t80\ttcp\t-3');
    expect(bytes).toMatchObject({ ok: false, error: { reason: 'bad_count', field: 'orig_bytes' } });
    expect(reader.line('1700000000.0\t10.0.0.1\t10.0.0.2\t80\ttcp\t3').kind).toBe('event');
  });

  it('undoes \\x escapes in values', () => {
    const reader = createZeekTsvReader();
    reader.line('#fields\tts\tid.orig_h\tid.resp_h\tproto\tservice');
    const result = reader.line('1700000000.0\t10.0.0.1\t10.0.0.2\ttcp\tweird\\x09name');
    expect(result.kind === 'event' && result.event.service).toBe('weird\tname');
  });

  it('skips blank lines', () => {
    expect(createZeekTsvReader().line('')).toMatchObject({ ok: true, kind: 'skip', skip: { reason: 'blank' } });
  });
});
