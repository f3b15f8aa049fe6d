import type { DecodeResult } from './decodeResult';
import { guard } from './decodeFault';
import { DecoderConfigError } from './decoderConfigError';
import {
  readCount,
  readDuration,
  readIp,
  readPort,
  readProto,
  readString,
  readTimestamp,
  type DurationUnit,
  type TimeUnit,
} from './fieldReaders';
import { pathSegments, valueAt, type FieldPath } from './fieldPath';
import { isObject, parseJsonObject } from './input';
import { canonicalProto } from './protocol';
import type { NetEvent } from './netEvent';

/** NetEvent fields a generic mapping can fill. */
export type MappedField =
  | 'ts'
  | 'origIp'
  | 'origPort'
  | 'respIp'
  | 'respPort'
  | 'proto'
  | 'service'
  | 'origBytes'
  | 'respBytes'
  | 'origPkts'
  | 'respPkts'
  | 'duration'
  | 'connState';

/**
 * How to read NetEvents from JSON messages of an arbitrary shape, configured
 * per topic. Example:
 *
 * ```ts
 * createGenericDecoder({
 *   fields: { ts: 'event.start', origIp: 'source.ip', respIp: 'destination.ip',
 *             respPort: 'destination.port', origBytes: 'source.bytes' },
 *   timeUnit: 'iso8601',
 *   defaults: { proto: 'tcp' },
 * });
 * ```
 */
export interface GenericMapping {
  /** Where each NetEvent field is found. `ts`, `origIp` and `respIp` are required; `proto` unless `defaults.proto` is set. */
  fields: Partial<Record<MappedField, FieldPath>>;
  /** Unit of `ts`. Default `auto` (ISO 8601 text, or seconds, or milliseconds when too large for seconds). */
  timeUnit?: TimeUnit;
  /** Unit of `duration`. Default `s`. */
  durationUnit?: DurationUnit;
  /** Values used when a message lacks the field (or the mapping does not name it). */
  defaults?: { proto?: string; service?: string };
}

const MAPPED_FIELDS: readonly MappedField[] = [
  'ts',
  'origIp',
  'origPort',
  'respIp',
  'respPort',
  'proto',
  'service',
  'origBytes',
  'respBytes',
  'origPkts',
  'respPkts',
  'duration',
  'connState',
];
const TIME_UNITS: readonly TimeUnit[] = ['auto', 'iso8601', 's', 'ms', 'us', 'ns'];
const DURATION_UNITS: readonly DurationUnit[] = ['s', 'ms', 'us', 'ns'];
const MAPPING_KEYS = ['fields', 'timeUnit', 'durationUnit', 'defaults'];

type Paths = Partial<Record<MappedField, readonly string[]>>;

/**
 * Builds a decoder for JSON messages described by `mapping`. The mapping is
 * checked here, once: a mistake throws {@link DecoderConfigError} naming the
 * option (`mapping.fields.srcIp: unknown field; expected one of ...`). The
 * returned decoder never throws; it reports the source path of a bad value
 * (`source.ip is not an IPv4 or IPv6 address`).
 */
export function createGenericDecoder(mapping: GenericMapping): (input: Uint8Array | string) => DecodeResult {
  const { paths, timeUnit, durationUnit, defaultProto, defaultService } = checkMapping(mapping);
  const label = (field: MappedField): string => (paths[field] ?? [field]).join('.');
  const read = (root: unknown, field: MappedField): unknown => {
    const path = paths[field];
    return path === undefined ? undefined : valueAt(root, path);
  };
  return (input) =>
    guard('generic', () => {
      const root = parseJsonObject(input);
      const proto = read(root, 'proto');
      const service = readString(read(root, 'service'), label('service'), 128);
      const event: NetEvent = {
        ts: readTimestamp(read(root, 'ts'), label('ts'), timeUnit),
        origIp: readIp(read(root, 'origIp'), label('origIp')),
        origPort: readPort(read(root, 'origPort'), label('origPort')),
        respIp: readIp(read(root, 'respIp'), label('respIp')),
        respPort: readPort(read(root, 'respPort'), label('respPort')),
        proto: readProto(proto === undefined || proto === null ? defaultProto : proto, label('proto')),
        service: service ?? defaultService,
        origBytes: readCount(read(root, 'origBytes'), label('origBytes')),
        respBytes: readCount(read(root, 'respBytes'), label('respBytes')),
        origPkts: readCount(read(root, 'origPkts'), label('origPkts')),
        respPkts: readCount(read(root, 'respPkts'), label('respPkts')),
        duration: readDuration(read(root, 'duration'), label('duration'), durationUnit),
        connState: readString(read(root, 'connState'), label('connState'), 16),
        source: 'generic',
      };
      return event;
    });
}

function checkMapping(mapping: unknown) {
  if (!isObject(mapping)) throw new DecoderConfigError('mapping', 'must be an object with a `fields` object');
  for (const key of Object.keys(mapping)) {
    if (!MAPPING_KEYS.includes(key)) {
      throw new DecoderConfigError(`mapping.${key}`, `unknown option; expected one of ${MAPPING_KEYS.join(', ')}`);
    }
  }
  const fields = mapping['fields'];
  if (!isObject(fields)) throw new DecoderConfigError('mapping.fields', 'must be an object of field paths');
  const paths: Paths = {};
  for (const [key, path] of Object.entries(fields)) {
    if (!(MAPPED_FIELDS as readonly string[]).includes(key)) {
      throw new DecoderConfigError(`mapping.fields.${key}`, `unknown field; expected one of ${MAPPED_FIELDS.join(', ')}`);
    }
    const segments = typeof path === 'string' || Array.isArray(path) ? pathSegments(path as FieldPath) : undefined;
    if (segments === undefined) {
      throw new DecoderConfigError(
        `mapping.fields.${key}`,
        'must be a dotted path such as "source.ip" or an array of keys such as ["id.orig_h"], without empty segments',
      );
    }
    paths[key as MappedField] = segments;
  }
  for (const required of ['ts', 'origIp', 'respIp'] as const) {
    if (paths[required] === undefined) throw new DecoderConfigError(`mapping.fields.${required}`, 'is required');
  }
  const defaults = mapping['defaults'] ?? {};
  if (!isObject(defaults)) throw new DecoderConfigError('mapping.defaults', 'must be an object such as { proto: "tcp" }');
  for (const key of Object.keys(defaults)) {
    if (key !== 'proto' && key !== 'service') {
      throw new DecoderConfigError(`mapping.defaults.${key}`, 'unknown default; expected proto or service');
    }
  }
  const defaultProto = defaults['proto'];
  if (defaultProto !== undefined && canonicalProto(defaultProto) === undefined) {
    throw new DecoderConfigError('mapping.defaults.proto', 'must be a protocol name such as "tcp"');
  }
  if (paths.proto === undefined && defaultProto === undefined) {
    throw new DecoderConfigError('mapping.fields.proto', 'is required unless mapping.defaults.proto is set (e.g. "tcp")');
  }
  const defaultService = defaults['service'];
  if (defaultService !== undefined && (typeof defaultService !== 'string' || defaultService.length === 0)) {
    throw new DecoderConfigError('mapping.defaults.service', 'must be a non-empty string');
  }
  const timeUnit = mapping['timeUnit'] ?? 'auto';
  if (!(TIME_UNITS as readonly unknown[]).includes(timeUnit)) {
    throw new DecoderConfigError('mapping.timeUnit', `must be one of ${TIME_UNITS.join(', ')}`);
  }
  const durationUnit = mapping['durationUnit'] ?? 's';
  if (!(DURATION_UNITS as readonly unknown[]).includes(durationUnit)) {
    throw new DecoderConfigError('mapping.durationUnit', `must be one of ${DURATION_UNITS.join(', ')}`);
  }
  return {
    paths,
    timeUnit: timeUnit as TimeUnit,
    durationUnit: durationUnit as DurationUnit,
    defaultProto: defaultProto as string | undefined,
    defaultService: defaultService as string | undefined,
  };
}
