import { describe, expect, it } from 'vitest';
import { decoderFor } from './decoderFor';
import { DecoderConfigError } from './decoderConfigError';
import { fixtureLines } from './fixtureLines';

describe('decoderFor', () => {
  it.each([
    ['zeek', 'zeek/conn.ndjson'],
    ['suricata', 'suricata/flow.ndjson'],
    ['goflow2', 'goflow2/flows.ndjson'],
  ])('decodes %s fixtures', (format, file) => {
    const decode = decoderFor(format);
    for (const line of fixtureLines(file)) expect(decode(line).kind).toBe('event');
  });

  it('gives zeek-tsv a stateful line decoder, one header per decoder', () => {
    const decode = decoderFor('zeek-tsv');
    const results = fixtureLines('zeek/conn.log').map((line) => decode(new TextEncoder().encode(line)));
    expect(results.filter((r) => r.kind === 'event')).toHaveLength(5);
    const fresh = decoderFor('zeek-tsv');
    expect(fresh(fixtureLines('zeek/conn.log')[8] ?? '')).toMatchObject({ ok: false, error: { reason: 'no_header' } });
  });

  it('reports bad bytes on the zeek-tsv path without throwing', () => {
    expect(decoderFor('zeek-tsv')(new Uint8Array([0xc3]))).toMatchObject({ ok: false, error: { reason: 'not_utf8', format: 'zeek-tsv' } });
  });

  it('passes goflow2 options', () => {
    const decode = decoderFor('goflow2', { goflow2: { applySamplingRate: true } });
    const result = decode(fixtureLines('goflow2/flows.ndjson')[1] ?? '');
    expect(result.kind === 'event' && result.event.origBytes).toBe(150000);
  });

  it('builds the generic decoder from its mapping', () => {
    const decode = decoderFor('generic', { mapping: { fields: { ts: 't', origIp: 'a', respIp: 'b' }, defaults: { proto: 'tcp' } } });
    expect(decode('{"t":1700000000,"a":"10.0.0.1","b":"10.0.0.2"}').kind).toBe('event');
  });

  it('refuses generic without a mapping and unknown formats, naming the option', () => {
    expect(() => decoderFor('generic')).toThrow(DecoderConfigError);
    expect(() => decoderFor('netflow')).toThrow(/^format: unknown format "netflow"; expected one of zeek, zeek-tsv/);
  });
});
