import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalIp } from './canonicalIp';
import { DECODE_REASONS, type DecodeResult, type FormatName } from './decodeResult';
import { decoderFor } from './decoderFor';
import { fixtureLines } from './fixtureLines';
import type { NetEvent } from './netEvent';
import { createZeekTsvReader } from './zeekTsv';

/*
 * Property tests: whatever arrives, a decoder returns a well-formed result
 * and never throws; random garbage is refused; events that do come out of
 * mutated records still satisfy every NetEvent invariant.
 */

const FORMATS = ['zeek', 'suricata', 'goflow2', 'generic'] as const;
const genericOptions = { mapping: { fields: { ts: 'ts', origIp: 'src', respIp: 'dst', respPort: 'port', origBytes: 'bytes' }, defaults: { proto: 'tcp' } } };
const decoders = Object.fromEntries(FORMATS.map((f) => [f, decoderFor(f, genericOptions)]));

function checkEvent(event: NetEvent): void {
  expect(Number.isFinite(event.ts) && event.ts >= 0).toBe(true);
  expect(canonicalIp(event.origIp)).toBe(event.origIp);
  expect(canonicalIp(event.respIp)).toBe(event.respIp);
  for (const port of [event.origPort, event.respPort]) {
    if (port !== undefined) expect(Number.isInteger(port) && port >= 0 && port <= 65535).toBe(true);
  }
  for (const count of [event.origBytes, event.respBytes, event.origPkts, event.respPkts]) {
    expect(Number.isSafeInteger(count) && count >= 0).toBe(true);
  }
  if (event.duration !== undefined) expect(Number.isFinite(event.duration) && event.duration >= 0).toBe(true);
  expect(event.proto).toMatch(/^[a-z0-9][a-z0-9_.-]*$/);
}

function checkWellFormed(result: DecodeResult, format: FormatName): void {
  switch (result.kind) {
    case 'error':
      expect(result.ok).toBe(false);
      expect(DECODE_REASONS).toContain(result.error.reason);
      expect(result.error.reason).not.toBe('internal');
      expect(result.error.format).toBe(format);
      expect(result.error.message.length).toBeGreaterThan(0);
      break;
    case 'event':
      checkEvent(result.event);
      break;
    case 'annotation':
      expect(result.annotation.ips.every((ip) => canonicalIp(ip) === ip)).toBe(true);
      break;
    case 'skip':
      expect(result.skip.message.length).toBeGreaterThan(0);
      break;
  }
}

function decode(format: (typeof FORMATS)[number], input: Uint8Array | string): DecodeResult {
  const decoder = decoders[format];
  if (decoder === undefined) throw new Error(format);
  return decoder(input);
}

const runs = { numRuns: 300 };

describe.each(FORMATS)('%s decoder under fuzzing', (format) => {
  it('refuses random bytes with a typed error, never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = decode(format, bytes);
        checkWellFormed(result, format);
        expect(result.ok).toBe(false);
      }),
      runs,
    );
  });

  it('refuses random JSON with a typed error', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = decode(format, JSON.stringify(value) ?? 'null');
        checkWellFormed(result, format);
        expect(result.ok).toBe(false);
      }),
      runs,
    );
  });

  it('refuses random text with a typed error', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const result = decode(format, text);
        checkWellFormed(result, format);
        expect(result.ok).toBe(false);
      }),
      runs,
    );
  });
});

const seeds: Record<(typeof FORMATS)[number], string[]> = {
  zeek: fixtureLines('zeek/conn.ndjson'),
  suricata: [...fixtureLines('suricata/flow.ndjson'), ...fixtureLines('suricata/alert.ndjson')],
  goflow2: fixtureLines('goflow2/flows.ndjson'),
  generic: ['{"ts":1700000000.5,"src":"10.0.0.1","dst":"2001:db8::1","port":443,"bytes":10}'],
};

/** Replaces or deletes one field somewhere in a JSON object tree. */
function mutate(root: unknown, pathChoice: number, replacement: unknown, remove: boolean): unknown {
  const copy: unknown = structuredClone(root);
  const objects: Array<Record<string, unknown>> = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
      objects.push(node as Record<string, unknown>);
      for (const v of Object.values(node)) walk(v);
    }
  };
  walk(copy);
  const target = objects[pathChoice % objects.length];
  if (target === undefined) return copy;
  const keys = Object.keys(target);
  const key = keys[pathChoice % Math.max(keys.length, 1)];
  if (key === undefined) return copy;
  if (remove) delete target[key];
  else target[key] = replacement;
  return copy;
}

describe.each(FORMATS)('%s decoder on mutated records', (format) => {
  it('returns well-formed results and only valid events', () => {
    const records = seeds[format].map((line) => JSON.parse(line) as unknown);
    fc.assert(
      fc.property(
        fc.constantFrom(...records),
        fc.nat(),
        fc.oneof(fc.jsonValue(), fc.constantFrom('-', '', '::', '10.0.0.256', -1, 1e300, '1700000000', 'TCP')),
        fc.boolean(),
        (record, choice, replacement, remove) => {
          checkWellFormed(decode(format, JSON.stringify(mutate(record, choice, replacement, remove))), format);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('zeek-tsv reader under fuzzing', () => {
  const good = fixtureLines('zeek/conn.log');
  const dataLines = good.filter((l) => !l.startsWith('#'));

  it('accounts for every line: one result each, every garbage line refused', () => {
    const garbage = fc.string({ unit: 'binary', maxLength: 120 }).filter((s) => s.length > 0 && !s.startsWith('#') && !s.includes('\n'));
    const line = fc.oneof(
      fc.constantFrom(...dataLines).map((text) => ({ text, bad: false })),
      garbage.map((text) => ({ text, bad: true })),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        const reader = createZeekTsvReader();
        const header = good.filter((l) => l.startsWith('#') && !l.startsWith('#close'));
        for (const h of header) reader.line(h);
        const results = lines.map((l) => reader.line(l.text));
        expect(results).toHaveLength(lines.length);
        results.forEach((result, i) => {
          checkWellFormed(result, 'zeek-tsv');
          if (lines[i]?.bad === true) expect(result.ok).toBe(false);
          else expect(result.kind).toBe('event');
        });
      }),
      runs,
    );
  });

  it('never throws on random headers and lines', () => {
    const anyLine = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.constantFrom(...good),
      fc.array(fc.constantFrom('ts', 'id.orig_h', 'id.resp_h', 'proto', 'x', '-'), { maxLength: 6 }).map((f) => `#fields\t${f.join('\t')}`),
      fc.string({ maxLength: 6 }).map((s) => `#separator ${s}`),
    );
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 30 }), (lines) => {
        const reader = createZeekTsvReader();
        for (const l of lines) checkWellFormed(reader.line(l), 'zeek-tsv');
      }),
      runs,
    );
  });
});

describe('canonicalIp under fuzzing', () => {
  const group = fc.integer({ min: 0, max: 0xffff });
  const groups = fc.array(group, { minLength: 8, maxLength: 8 }).filter((g) => !(g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff));

  it('agrees with the WHATWG URL serialiser on every non-mapped IPv6 address', () => {
    fc.assert(
      fc.property(groups, fc.boolean(), (g, upper) => {
        let text = g.map((x) => x.toString(16).padStart(4, '0')).join(':');
        if (upper) text = text.toUpperCase();
        const expected = new URL(`http://[${text}]/`).hostname.slice(1, -1);
        expect(canonicalIp(text)).toBe(expected);
        expect(canonicalIp(expected)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('maps every IPv4-mapped address to its IPv4 form', () => {
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        expect(canonicalIp(`::ffff:${v4}`)).toBe(v4);
        expect(canonicalIp(v4)).toBe(v4);
      }),
    );
  });

  it('is idempotent on whatever it accepts', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV6(), fc.ipV4Extended(), fc.string({ maxLength: 40 })), (text) => {
        const once = canonicalIp(text);
        if (once !== undefined) expect(canonicalIp(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});
