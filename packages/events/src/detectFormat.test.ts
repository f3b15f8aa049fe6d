import { describe, expect, it } from 'vitest';
import { detectFormat } from './detectFormat';
import { fixtureLines } from './fixtureLines';

describe('detectFormat', () => {
  it.each([
    ['zeek/conn.ndjson', 'zeek'],
    ['zeek/conn.log', 'zeek-tsv'],
    ['zeek/conn-variant.log', 'zeek-tsv'],
    ['suricata/flow.ndjson', 'suricata'],
    ['suricata/alert.ndjson', 'suricata'],
    ['goflow2/flows.ndjson', 'goflow2'],
  ])('recognises every line of %s as %s', (file, format) => {
    const lines = fixtureLines(file).filter((l) => !/^\d/.test(l) && !/^Cv/.test(l)); // TSV data lines alone say nothing
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(detectFormat(line)).toBe(format);
  });

  it('recognises the zeek-kafka envelope and nested ids', () => {
    expect(detectFormat('{"conn":{"ts":1,"id.orig_h":"10.0.0.1"}}')).toBe('zeek');
    expect(detectFormat('{"ts":1,"id":{"orig_h":"10.0.0.1"}}')).toBe('zeek');
  });

  it('reads bytes', () => {
    expect(detectFormat(new TextEncoder().encode('{"event_type":"flow","timestamp":"x"}'))).toBe('suricata');
  });

  it.each(['', 'hello', '{', '[]', '{"a":1}', '# a comment', '1700000000.0\t10.0.0.1', '\u{FEFF}{"b":2}'])('cannot tell %j', (line) => {
    expect(detectFormat(line)).toBeUndefined();
  });

  it('cannot tell invalid UTF-8', () => {
    expect(detectFormat(new Uint8Array([0xff, 0x7b]))).toBeUndefined();
  });
});
