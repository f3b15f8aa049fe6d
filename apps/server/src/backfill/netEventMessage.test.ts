import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalIp, type Annotation, type NetEvent } from '@ipscope/events';
import { decodeNetEventMessage, encodeAnnotationMessage, encodeNetEventMessage } from './netEventMessage';

const ipArb = fc.oneof(fc.ipV4(), fc.ipV6()).map((text) => canonicalIp(text) ?? '0.0.0.0');
const portArb = fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined });
const countArb = fc.oneof(fc.nat(1_000_000), fc.constant(Number.MAX_SAFE_INTEGER));

const eventArb: fc.Arbitrary<NetEvent> = fc.record({
  ts: fc.double({ min: 0, max: 4_102_444_800, noNaN: true, noDefaultInfinity: true }),
  origIp: ipArb,
  origPort: portArb,
  respIp: ipArb,
  respPort: portArb,
  proto: fc.constantFrom('tcp', 'udp', 'icmp', 'sctp', '115'),
  service: fc.option(fc.string({ minLength: 1, maxLength: 64 }), { nil: undefined }),
  origBytes: countArb,
  respBytes: countArb,
  origPkts: countArb,
  respPkts: countArb,
  duration: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }), { nil: undefined }),
  connState: fc.option(fc.constantFrom('SF', 'S0', 'REJ', 'RSTO', 'OTH'), { nil: undefined }),
  source: fc.constantFrom('zeek' as const, 'suricata' as const, 'goflow2' as const, 'generic' as const),
});

const annotationArb: fc.Arbitrary<Annotation> = fc.record({
  kind: fc.constant('annotation' as const),
  ts: fc.double({ min: 0, max: 4_102_444_800, noNaN: true, noDefaultInfinity: true }),
  ips: fc.uniqueArray(ipArb, { minLength: 1, maxLength: 4 }),
  signature: fc.string({ minLength: 1, maxLength: 200 }),
  severity: fc.integer({ min: 1, max: 4 }),
  signatureId: fc.option(fc.nat(), { nil: undefined }),
  category: fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined }),
  action: fc.option(fc.constantFrom('allowed', 'blocked'), { nil: undefined }),
  proto: fc.option(fc.constantFrom('tcp', 'udp'), { nil: undefined }),
  origPort: portArb,
  respPort: portArb,
  source: fc.constant('suricata' as const),
});

const sample: NetEvent = {
  ts: 1591367999.305988,
  origIp: '10.0.0.1',
  origPort: 51234,
  respIp: '2001:db8::1',
  respPort: 443,
  proto: 'tcp',
  service: 'ssl',
  origBytes: 512,
  respBytes: 4096,
  origPkts: 6,
  respPkts: 8,
  duration: 1.25,
  connState: 'SF',
  source: 'zeek',
};

function eventJson(overrides: Record<string, unknown>): string {
  return JSON.stringify({ v: 1, kind: 'event', event: { ...sample, ...overrides } });
}

describe('netEventMessage', () => {
  it('round-trips any event exactly', () => {
    fc.assert(
      fc.property(eventArb, (event) => {
        expect(decodeNetEventMessage(encodeNetEventMessage(event))).toEqual({ ok: true, kind: 'event', event });
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips any annotation exactly', () => {
    fc.assert(
      fc.property(annotationArb, (annotation) => {
        expect(decodeNetEventMessage(encodeAnnotationMessage(annotation))).toEqual({ ok: true, kind: 'annotation', annotation });
      }),
      { numRuns: 300 },
    );
  });

  it('writes compact JSON without undefined properties', () => {
    const text = encodeNetEventMessage({ ...sample, service: undefined, duration: undefined }).toString('utf8');
    expect(text).not.toMatch(/\s/);
    expect(text).not.toContain('service');
    expect(text).not.toContain('duration');
    expect(JSON.parse(text)).toMatchObject({ v: 1, kind: 'event', event: { origIp: '10.0.0.1' } });
  });

  it('accepts a string as well as bytes and canonicalises addresses', () => {
    const result = decodeNetEventMessage(eventJson({ respIp: '2001:DB8:0:0:0:0:0:1' }));
    expect(result).toEqual({ ok: true, kind: 'event', event: sample });
  });

  it.each([
    ['', 'empty', undefined],
    ['   ', 'empty', undefined],
    ['{', 'bad_json', undefined],
    ['[1]', 'not_object', undefined],
    ['null', 'not_object', undefined],
    [JSON.stringify({ kind: 'event', event: sample }), 'missing_field', 'v'],
    [JSON.stringify({ v: 2, kind: 'event', event: sample }), 'bad_value', 'v'],
    [JSON.stringify({ v: 1, event: sample }), 'missing_field', 'kind'],
    [JSON.stringify({ v: 1, kind: 'flow', event: sample }), 'bad_value', 'kind'],
    [JSON.stringify({ v: 1, kind: 'event' }), 'missing_field', 'event'],
    [JSON.stringify({ v: 1, kind: 'event', event: [] }), 'bad_value', 'event'],
    [eventJson({ ts: -1 }), 'bad_timestamp', 'event.ts'],
    [eventJson({ ts: '2020-01-01' }), 'bad_timestamp', 'event.ts'],
    [eventJson({ ts: 1e12 }), 'bad_timestamp', 'event.ts'],
    [eventJson({ origIp: '10.0.0.256' }), 'bad_ip', 'event.origIp'],
    [eventJson({ respIp: undefined }), 'missing_field', 'event.respIp'],
    [eventJson({ origPort: 65536 }), 'bad_port', 'event.origPort'],
    [eventJson({ respPort: 1.5 }), 'bad_port', 'event.respPort'],
    [eventJson({ origBytes: -1 }), 'bad_count', 'event.origBytes'],
    [eventJson({ respPkts: 2 ** 53 }), 'bad_count', 'event.respPkts'],
    [eventJson({ origPkts: '5' }), 'bad_count', 'event.origPkts'],
    [eventJson({ proto: 'TCP' }), 'bad_value', 'event.proto'],
    [eventJson({ duration: -0.5 }), 'bad_value', 'event.duration'],
    [eventJson({ service: '' }), 'bad_value', 'event.service'],
    [eventJson({ connState: 7 }), 'bad_value', 'event.connState'],
    [eventJson({ source: 'pcap' }), 'bad_value', 'event.source'],
    [JSON.stringify({ v: 1, kind: 'annotation', annotation: { ts: 1, ips: [], signature: 's', severity: 1, source: 'suricata' } }), 'bad_value', 'annotation.ips'],
    [JSON.stringify({ v: 1, kind: 'annotation', annotation: { ts: 1, ips: ['x'], signature: 's', severity: 1, source: 'suricata' } }), 'bad_ip', 'annotation.ips'],
    [JSON.stringify({ v: 1, kind: 'annotation', annotation: { ts: 1, ips: ['10.0.0.1'], severity: 1, source: 'suricata' } }), 'missing_field', 'annotation.signature'],
    [JSON.stringify({ v: 1, kind: 'annotation', annotation: { ts: 1, ips: ['10.0.0.1'], signature: 's', severity: 0, source: 'suricata' } }), 'bad_value', 'annotation.severity'],
  ])('rejects %s with %s', (input, reason, field) => {
    const result = decodeNetEventMessage(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ reason, format: 'netevent', field });
    expect(result.error.message.length).toBeGreaterThan(0);
  });

  it('rejects bytes that are not UTF-8 and messages over the size limit', () => {
    const notUtf8 = decodeNetEventMessage(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    expect(notUtf8).toMatchObject({ ok: false, error: { reason: 'not_utf8' } });
    const huge = decodeNetEventMessage(eventJson({ service: 'x'.repeat(1024 * 1024) }));
    expect(huge).toMatchObject({ ok: false, error: { reason: 'too_large' } });
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const result = decodeNetEventMessage(bytes);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on JSON-shaped garbage and only accepts what validates', () => {
    const jsonish = fc.oneof(
      fc.jsonValue(),
      fc.record({ v: fc.constantFrom(1, 2, '1'), kind: fc.constantFrom('event', 'annotation', 'x'), event: fc.jsonValue(), annotation: fc.jsonValue() }),
      eventArb.chain((event) =>
        fc.record({ v: fc.constant(1), kind: fc.constant('event'), event: fc.dictionary(fc.constantFrom(...Object.keys(event)), fc.jsonValue()).map((d) => ({ ...event, ...d })) }),
      ),
    );
    fc.assert(
      fc.property(jsonish, (value) => {
        const result = decodeNetEventMessage(JSON.stringify(value) ?? '');
        if (result.ok && result.kind === 'event') {
          // Whatever was accepted must survive its own round trip unchanged.
          expect(decodeNetEventMessage(encodeNetEventMessage(result.event))).toEqual(result);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
