import { describe, expect, it } from 'vitest';
import { DecoderConfigError } from './decoderConfigError';
import { fixtureLines } from './fixtureLines';
import { createGenericDecoder, type GenericMapping } from './genericJson';

const ecsMapping: GenericMapping = {
  fields: {
    ts: 'event.start',
    origIp: 'source.ip',
    origPort: 'source.port',
    respIp: 'destination.ip',
    respPort: 'destination.port',
    proto: 'network.transport',
    service: 'network.protocol',
    origBytes: 'source.bytes',
    respBytes: 'destination.bytes',
    origPkts: 'source.packets',
    respPkts: 'destination.packets',
    duration: 'event.duration',
    connState: ['labels', 'conn_state'],
  },
  timeUnit: 'iso8601',
  durationUnit: 'ns',
  defaults: { proto: 'tcp' },
};

describe('createGenericDecoder', () => {
  const decode = createGenericDecoder(ecsMapping);
  const [full = '', v6 = '', minimal = ''] = fixtureLines('generic/ecs.ndjson');

  it('reads every mapped field, converting units', () => {
    expect(decode(full)).toStrictEqual({
      ok: true,
      kind: 'event',
      event: {
        ts: 1700000000.5,
        origIp: '10.3.0.1',
        origPort: 40000,
        respIp: '10.3.0.2',
        respPort: 5432,
        proto: 'tcp',
        service: 'postgresql',
        origBytes: 700,
        respBytes: 1400,
        origPkts: 7,
        respPkts: 6,
        duration: 1.5,
        connState: 'SF',
        source: 'generic',
      },
    });
  });

  it('leaves absent optional fields unset and counters 0', () => {
    const result = decode(v6);
    expect(result).toMatchObject({ ok: true, event: { origIp: '2001:db8::a', respIp: '2001:db8::b', respPort: 53, proto: 'udp', origBytes: 0, duration: undefined } });
  });

  it('uses the default protocol when the message has none', () => {
    expect(decode(minimal)).toMatchObject({ ok: true, event: { proto: 'tcp', origPort: undefined } });
  });

  it('reads keys that contain dots through array paths', () => {
    const zeekLike = createGenericDecoder({ fields: { ts: ['ts'], origIp: ['id.orig_h'], respIp: ['id.resp_h'], proto: ['proto'] } });
    const result = zeekLike('{"ts":1700000000,"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","proto":"tcp"}');
    expect(result).toMatchObject({ ok: true, event: { ts: 1700000000, origIp: '10.0.0.1', respIp: '10.0.0.2' } });
  });

  it('indexes arrays with numeric segments', () => {
    const hops = createGenericDecoder({ fields: { ts: 't', origIp: 'hops.0', respIp: 'hops.1' }, defaults: { proto: 'udp' } });
    expect(hops('{"t":1700000000,"hops":["10.0.0.1","10.0.0.2"]}')).toMatchObject({ ok: true, event: { origIp: '10.0.0.1', respIp: '10.0.0.2' } });
  });

  it('names the source path of a bad value', () => {
    const result = decode('{"event":{"start":"2023-11-14T22:13:20Z"},"source":{"ip":"nope"},"destination":{"ip":"10.0.0.1"}}');
    expect(result).toMatchObject({ ok: false, error: { reason: 'bad_ip', field: 'source.ip', format: 'generic' } });
  });

  it('rejects numeric timestamps when told they are ISO 8601', () => {
    const result = decode('{"event":{"start":1700000000},"source":{"ip":"10.0.0.1"},"destination":{"ip":"10.0.0.2"}}');
    expect(result).toMatchObject({ ok: false, error: { reason: 'bad_timestamp', field: 'event.start' } });
  });

  it.each([
    ['ms', 1700000000250, 1700000000.25],
    ['us', 1700000000250000, 1700000000.25],
    ['s', 1700000000.25, 1700000000.25],
    ['auto', 1700000000250, 1700000000.25],
  ] as const)('converts %s timestamps', (timeUnit, raw, seconds) => {
    const d = createGenericDecoder({ fields: { ts: 't', origIp: 'a', respIp: 'b' }, timeUnit, defaults: { proto: 'tcp' } });
    const result = d(JSON.stringify({ t: raw, a: '10.0.0.1', b: '10.0.0.2' }));
    expect(result.kind === 'event' && result.event.ts).toBeCloseTo(seconds, 6);
  });

  it.each([
    [{}, 'mapping.fields'],
    [{ fields: { ts: 't', origIp: 'a' } }, 'mapping.fields.respIp'],
    [{ fields: { ts: 't', origIp: 'a', respIp: 'b' } }, 'mapping.fields.proto'],
    [{ fields: { ts: 't', origIp: 'a', respIp: 'b', srcIp: 'c' } }, 'mapping.fields.srcIp'],
    [{ fields: { ts: 't', origIp: 'a..b', respIp: 'b', proto: 'p' } }, 'mapping.fields.origIp'],
    [{ fields: { ts: 't', origIp: [], respIp: 'b', proto: 'p' } }, 'mapping.fields.origIp'],
    [{ fields: { ts: 't', origIp: 'a', respIp: 'b', proto: 'p' }, timeUnit: 'days' }, 'mapping.timeUnit'],
    [{ fields: { ts: 't', origIp: 'a', respIp: 'b', proto: 'p' }, durationUnit: 'h' }, 'mapping.durationUnit'],
    [{ fields: { ts: 't', origIp: 'a', respIp: 'b' }, defaults: { proto: 'not a proto!' } }, 'mapping.defaults.proto'],
    [{ fields: { ts: 't', origIp: 'a', respIp: 'b', proto: 'p' }, defaults: { port: 1 } }, 'mapping.defaults.port'],
    [{ fields: { ts: 't', origIp: 'a', respIp: 'b', proto: 'p' }, extra: true }, 'mapping.extra'],
  ])('refuses a bad mapping %j, naming %s', (mapping, path) => {
    let caught: unknown;
    try {
      createGenericDecoder(mapping as unknown as GenericMapping);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DecoderConfigError);
    expect((caught as DecoderConfigError).path).toBe(path);
    expect((caught as DecoderConfigError).message.startsWith(`${path}: `)).toBe(true);
  });
});
