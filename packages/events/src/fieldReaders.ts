import { canonicalIp } from './canonicalIp';
import { DecodeFault, preview } from './decodeFault';
import { canonicalProto } from './protocol';
import { MAX_EPOCH_SECONDS, parseIsoTimestamp } from './timestamp';

/*
 * Field readers shared by the decoders. Each takes a raw value (a JSON value,
 * or the text of a Zeek TSV column) and the source field's name, and either
 * returns a clean value or raises a DecodeFault that names the field.
 * `undefined` and `null` mean "absent".
 */

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A number, or a string holding a decimal number; NaN otherwise. */
function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && DECIMAL.test(value)) return Number(value);
  return Number.NaN;
}

function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/**
 * Canonical forms of recently seen address and protocol texts: a stream names the same hosts
 * over and over, so each spelling is parsed once, and every event of one host carries the same
 * string (later map lookups and comparisons of it are cheap). Bounded: emptied when full.
 */
const MEMO_LIMIT = 65_536;
const ipMemo = new Map<string, string>();
const protoMemo = new Map<string, string>();

function remember(memo: Map<string, string>, text: string, canonical: string): string {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(text, canonical);
  return canonical;
}

/** A required IP address in canonical form. */
export function readIp(value: unknown, field: string): string {
  if (typeof value === 'string') {
    const known = ipMemo.get(value);
    if (known !== undefined) return known;
  }
  if (isAbsent(value) || value === '') throw new DecodeFault('missing_field', `${field} is missing`, field);
  const ip = typeof value === 'string' ? canonicalIp(value) : undefined;
  if (ip === undefined) throw new DecodeFault('bad_ip', `${field} is not an IPv4 or IPv6 address: ${preview(value)}`, field);
  return remember(ipMemo, value as string, ip);
}

/** An optional port, 0..65535. */
export function readPort(value: unknown, field: string): number | undefined {
  if (isAbsent(value)) return undefined;
  const n = toNumber(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new DecodeFault('bad_port', `${field} is not a port 0..65535: ${preview(value)}`, field);
  }
  return n;
}

/** A byte or packet counter; absent is 0. */
export function readCount(value: unknown, field: string): number {
  if (isAbsent(value)) return 0;
  const n = toNumber(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new DecodeFault('bad_count', `${field} is not a non-negative integer: ${preview(value)}`, field);
  }
  return n;
}

/** An optional duration, converted to seconds from `unit`. */
export function readDuration(value: unknown, field: string, unit: DurationUnit = 's'): number | undefined {
  if (isAbsent(value)) return undefined;
  const n = toNumber(value);
  if (!Number.isFinite(n) || n < 0) {
    throw new DecodeFault('bad_value', `${field} is not a non-negative duration: ${preview(value)}`, field);
  }
  return n / UNIT_PER_SECOND[unit];
}

/** An optional short string; the empty string counts as absent. */
export function readString(value: unknown, field: string, maxLength = 256): string | undefined {
  if (isAbsent(value) || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new DecodeFault('bad_value', `${field} is not a string: ${preview(value)}`, field);
  }
  if (value.length > maxLength) {
    throw new DecodeFault('bad_value', `${field} is longer than ${maxLength} characters`, field);
  }
  return value;
}

/** A required transport protocol, canonical (see canonicalProto). */
export function readProto(value: unknown, field: string): string {
  if (typeof value === 'string') {
    const known = protoMemo.get(value);
    if (known !== undefined) return known;
  }
  if (isAbsent(value) || value === '') throw new DecodeFault('missing_field', `${field} is missing`, field);
  const proto = canonicalProto(value);
  if (proto === undefined) {
    throw new DecodeFault('bad_value', `${field} is not a protocol name or number: ${preview(value)}`, field);
  }
  return typeof value === 'string' ? remember(protoMemo, value, proto) : proto;
}

/** Units a duration may arrive in. */
export type DurationUnit = 's' | 'ms' | 'us' | 'ns';

/**
 * How a timestamp field is written. `auto` takes an ISO 8601 string, or a
 * number of seconds, or of milliseconds when the number is too large to be
 * seconds (Zeek's `JSON::TS_MILLIS`); `iso8601` takes only strings.
 */
export type TimeUnit = 'auto' | 'iso8601' | DurationUnit;

const UNIT_PER_SECOND: Readonly<Record<DurationUnit, number>> = { s: 1, ms: 1e3, us: 1e6, ns: 1e9 };

/** A required timestamp, as unix seconds. */
export function readTimestamp(value: unknown, field: string, unit: TimeUnit = 'auto'): number {
  if (isAbsent(value) || value === '') throw new DecodeFault('missing_field', `${field} is missing`, field);
  let seconds = Number.NaN;
  const numeric = toNumber(value);
  if (unit === 'iso8601' || (unit === 'auto' && Number.isNaN(numeric))) {
    if (typeof value === 'string') seconds = parseIsoTimestamp(value) ?? Number.NaN;
  } else if (unit === 'auto') {
    seconds = numeric >= MAX_EPOCH_SECONDS ? numeric / 1e3 : numeric;
  } else {
    seconds = numeric / UNIT_PER_SECOND[unit];
  }
  if (!Number.isFinite(seconds) || seconds < 0 || seconds >= MAX_EPOCH_SECONDS) {
    const expected = unit === 'auto' ? 'unix seconds or ISO 8601' : unit === 'iso8601' ? 'ISO 8601' : `unix ${unit}`;
    throw new DecodeFault('bad_timestamp', `${field} is not a plausible time (${expected}): ${preview(value)}`, field);
  }
  return seconds;
}
