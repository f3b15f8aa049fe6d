import {
  MAX_INPUT_BYTES,
  canonicalIp,
  canonicalProto,
  type Annotation,
  type DecodeError,
  type DecodeReason,
  type EventSource,
  type NetEvent,
} from '@ipscope/events';

/**
 * The ipscope-native Kafka message: one decoded {@link NetEvent} or
 * {@link Annotation} as compact JSON, so a topic can carry events that were
 * already decoded (backfill) and the ingest worker does not decode twice.
 *
 * ```json
 * {"v":1,"kind":"event","event":{"ts":1591367999.305988,"origIp":"10.0.0.1",...}}
 * {"v":1,"kind":"annotation","annotation":{"ts":...,"ips":["10.0.0.1"],...}}
 * ```
 *
 * Field names are the NetEvent / Annotation property names; properties that
 * are `undefined` are left out. `v` is the envelope version: a decoder refuses
 * versions it does not know rather than guess. Unknown extra properties are
 * ignored, so fields can be added without breaking older workers.
 */
export const NET_EVENT_MESSAGE_VERSION = 1;

/** The format name of {@link encodeNetEventMessage} messages, as in an `ipscope-format` header. */
export const NET_EVENT_FORMAT = 'netevent';

/** A {@link DecodeError} raised by {@link decodeNetEventMessage}. */
export type NetEventMessageError = Omit<DecodeError, 'format'> & { format: typeof NET_EVENT_FORMAT };

/** Outcome of {@link decodeNetEventMessage}: an event, an annotation or a typed error. */
export type NetEventMessageResult =
  | { ok: true; kind: 'event'; event: NetEvent }
  | { ok: true; kind: 'annotation'; annotation: Annotation }
  | { ok: false; kind: 'error'; error: NetEventMessageError };

/** Encodes a NetEvent as a message value (UTF-8 JSON bytes). */
export function encodeNetEventMessage(event: NetEvent): Buffer {
  const body = {
    ts: event.ts,
    origIp: event.origIp,
    origPort: event.origPort,
    respIp: event.respIp,
    respPort: event.respPort,
    proto: event.proto,
    service: event.service,
    origBytes: event.origBytes,
    respBytes: event.respBytes,
    origPkts: event.origPkts,
    respPkts: event.respPkts,
    duration: event.duration,
    connState: event.connState,
    source: event.source,
  };
  return Buffer.from(JSON.stringify({ v: NET_EVENT_MESSAGE_VERSION, kind: 'event', event: body }), 'utf8');
}

/** Encodes an Annotation (a Suricata alert) as a message value (UTF-8 JSON bytes). */
export function encodeAnnotationMessage(annotation: Annotation): Buffer {
  const body = {
    ts: annotation.ts,
    ips: annotation.ips,
    signature: annotation.signature,
    severity: annotation.severity,
    signatureId: annotation.signatureId,
    category: annotation.category,
    action: annotation.action,
    proto: annotation.proto,
    origPort: annotation.origPort,
    respPort: annotation.respPort,
    source: annotation.source,
  };
  return Buffer.from(JSON.stringify({ v: NET_EVENT_MESSAGE_VERSION, kind: 'annotation', annotation: body }), 'utf8');
}

/**
 * Decodes a message written by {@link encodeNetEventMessage} or
 * {@link encodeAnnotationMessage}, validating every field as strictly as the
 * source decoders do (canonical IPs, ports 0..65535, non-negative safe-integer
 * counters, plausible times). Never throws: bad input gives `ok: false` with
 * the reason and the field at fault.
 */
export function decodeNetEventMessage(input: Uint8Array | string): NetEventMessageResult {
  try {
    const root = parseRoot(input);
    const version = root['v'];
    if (version === undefined || version === null) throw new Fault('missing_field', 'v (envelope version) is missing', 'v');
    if (version !== NET_EVENT_MESSAGE_VERSION) {
      throw new Fault('bad_value', `unsupported envelope version ${preview(version)}, this decoder reads ${NET_EVENT_MESSAGE_VERSION}`, 'v');
    }
    const kind = root['kind'];
    if (kind === 'event') return { ok: true, kind: 'event', event: readEvent(objectAt(root, 'event')) };
    if (kind === 'annotation') return { ok: true, kind: 'annotation', annotation: readAnnotation(objectAt(root, 'annotation')) };
    if (kind === undefined || kind === null) throw new Fault('missing_field', 'kind is missing', 'kind');
    throw new Fault('bad_value', `kind must be "event" or "annotation", got ${preview(kind)}`, 'kind');
  } catch (caught) {
    if (caught instanceof Fault) {
      return { ok: false, kind: 'error', error: { reason: caught.reason, message: caught.message, format: NET_EVENT_FORMAT, field: caught.field } };
    }
    const detail = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
    return {
      ok: false,
      kind: 'error',
      error: { reason: 'internal', message: `decoder failed unexpectedly (${detail})`, format: NET_EVENT_FORMAT, field: undefined },
    };
  }
}

/** Raised inside the decoder and turned into a result at its boundary; not an Error, so no stack is captured. */
class Fault {
  constructor(
    readonly reason: DecodeReason,
    readonly message: string,
    readonly field: string | undefined = undefined,
  ) {}
}

type JsonObject = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const EVENT_SOURCES: readonly EventSource[] = ['zeek', 'suricata', 'goflow2', 'generic'];
/** Same bound as the source decoders: beyond it a "time" is a unit mistake. */
const MAX_EPOCH_SECONDS = 1e11;
const MAX_IPS = 16;

function parseRoot(input: Uint8Array | string): JsonObject {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > MAX_INPUT_BYTES) throw new Fault('too_large', `message is ${size} bytes, over the limit of ${MAX_INPUT_BYTES} bytes`);
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = utf8.decode(input);
    } catch {
      throw new Fault('not_utf8', 'message is not valid UTF-8 text');
    }
  }
  if (text.trim().length === 0) throw new Fault('empty', 'message is empty');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (caught) {
    throw new Fault('bad_json', `message is not valid JSON (${caught instanceof Error ? caught.message : String(caught)})`);
  }
  if (!isObject(value)) throw new Fault('not_object', `message is ${describe(value)}, expected a JSON object`);
  return value;
}

function readEvent(o: JsonObject): NetEvent {
  return {
    ts: time(o, 'ts', 'event.ts'),
    origIp: ip(o, 'origIp', 'event.origIp'),
    origPort: port(o, 'origPort', 'event.origPort'),
    respIp: ip(o, 'respIp', 'event.respIp'),
    respPort: port(o, 'respPort', 'event.respPort'),
    proto: proto(o, 'proto', 'event.proto'),
    service: optionalString(o, 'service', 'event.service', 64),
    origBytes: count(o, 'origBytes', 'event.origBytes'),
    respBytes: count(o, 'respBytes', 'event.respBytes'),
    origPkts: count(o, 'origPkts', 'event.origPkts'),
    respPkts: count(o, 'respPkts', 'event.respPkts'),
    duration: duration(o, 'duration', 'event.duration'),
    connState: optionalString(o, 'connState', 'event.connState', 16),
    source: source(o, 'source', 'event.source'),
  };
}

function readAnnotation(o: JsonObject): Annotation {
  const signature = optionalString(o, 'signature', 'annotation.signature', 1024);
  if (signature === undefined) throw new Fault('missing_field', 'annotation.signature is missing', 'annotation.signature');
  const severity = o['severity'];
  if (severity === undefined || severity === null) throw new Fault('missing_field', 'annotation.severity is missing', 'annotation.severity');
  if (!Number.isInteger(severity) || (severity as number) < 1 || (severity as number) > 255) {
    throw new Fault('bad_value', `annotation.severity is not an integer 1..255: ${preview(severity)}`, 'annotation.severity');
  }
  const protoValue = o['proto'] === undefined || o['proto'] === null ? undefined : proto(o, 'proto', 'annotation.proto');
  return {
    kind: 'annotation',
    ts: time(o, 'ts', 'annotation.ts'),
    ips: ips(o, 'ips', 'annotation.ips'),
    signature,
    severity: severity as number,
    signatureId: optionalInteger(o, 'signatureId', 'annotation.signatureId'),
    category: optionalString(o, 'category', 'annotation.category', 256),
    action: optionalString(o, 'action', 'annotation.action', 32),
    proto: protoValue,
    origPort: port(o, 'origPort', 'annotation.origPort'),
    respPort: port(o, 'respPort', 'annotation.respPort'),
    source: source(o, 'source', 'annotation.source'),
  };
}

function objectAt(o: JsonObject, key: string): JsonObject {
  const value = o[key];
  if (value === undefined || value === null) throw new Fault('missing_field', `${key} is missing`, key);
  if (!isObject(value)) throw new Fault('bad_value', `${key} is ${describe(value)}, expected an object`, key);
  return value;
}

function absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

function required(o: JsonObject, key: string, field: string): unknown {
  const value = o[key];
  if (absent(value)) throw new Fault('missing_field', `${field} is missing`, field);
  return value;
}

function time(o: JsonObject, key: string, field: string): number {
  const value = required(o, key, field);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= MAX_EPOCH_SECONDS) {
    throw new Fault('bad_timestamp', `${field} is not a plausible time in unix seconds: ${preview(value)}`, field);
  }
  return value;
}

function ip(o: JsonObject, key: string, field: string): string {
  const value = required(o, key, field);
  const canonical = typeof value === 'string' ? canonicalIp(value) : undefined;
  if (canonical === undefined) throw new Fault('bad_ip', `${field} is not an IPv4 or IPv6 address: ${preview(value)}`, field);
  return canonical;
}

function ips(o: JsonObject, key: string, field: string): string[] {
  const value = required(o, key, field);
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_IPS) {
    throw new Fault('bad_value', `${field} is not a list of 1..${MAX_IPS} addresses: ${preview(value)}`, field);
  }
  const seen = new Set<string>();
  value.forEach((item: unknown, i) => {
    const canonical = typeof item === 'string' ? canonicalIp(item) : undefined;
    if (canonical === undefined) throw new Fault('bad_ip', `${field}[${i}] is not an IPv4 or IPv6 address: ${preview(item)}`, field);
    seen.add(canonical);
  });
  return [...seen];
}

function port(o: JsonObject, key: string, field: string): number | undefined {
  const value = o[key];
  if (absent(value)) return undefined;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 65535) {
    throw new Fault('bad_port', `${field} is not a port 0..65535: ${preview(value)}`, field);
  }
  return value as number;
}

function count(o: JsonObject, key: string, field: string): number {
  const value = required(o, key, field);
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new Fault('bad_count', `${field} is not a non-negative integer: ${preview(value)}`, field);
  }
  return value as number;
}

function duration(o: JsonObject, key: string, field: string): number | undefined {
  const value = o[key];
  if (absent(value)) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Fault('bad_value', `${field} is not a non-negative number of seconds: ${preview(value)}`, field);
  }
  return value;
}

function proto(o: JsonObject, key: string, field: string): string {
  const value = required(o, key, field);
  const canonical = typeof value === 'string' ? canonicalProto(value) : undefined;
  if (canonical === undefined || canonical !== value) {
    throw new Fault('bad_value', `${field} is not a canonical protocol name (tcp, udp, icmp, ...): ${preview(value)}`, field);
  }
  return canonical;
}

function optionalString(o: JsonObject, key: string, field: string, maxLength: number): string | undefined {
  const value = o[key];
  if (absent(value)) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
    throw new Fault('bad_value', `${field} is not a string of 1..${maxLength} characters: ${preview(value)}`, field);
  }
  return value;
}

function optionalInteger(o: JsonObject, key: string, field: string): number | undefined {
  const value = o[key];
  if (absent(value)) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new Fault('bad_value', `${field} is not a non-negative integer: ${preview(value)}`, field);
  }
  return value as number;
}

function source(o: JsonObject, key: string, field: string): EventSource {
  const value = required(o, key, field);
  const found = EVENT_SOURCES.find((s) => s === value);
  if (found === undefined) throw new Fault('bad_value', `${field} must be one of ${EVENT_SOURCES.join(', ')}, got ${preview(value)}`, field);
  return found;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Shortens a value for an error message so a huge input cannot bloat a dead-letter record. */
function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
