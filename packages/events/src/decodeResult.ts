import type { Annotation, NetEvent } from './netEvent';

/**
 * Why a message could not be decoded. Stable, machine-readable: dead-letter
 * counters and dashboards group by it, so codes are only ever added.
 *
 * - `empty`: no bytes, or only whitespace.
 * - `too_large`: over {@link MAX_INPUT_BYTES}.
 * - `not_utf8`: the bytes are not valid UTF-8.
 * - `bad_json`: not parseable JSON.
 * - `not_object`: JSON, but not an object.
 * - `missing_field`: a required field is absent, null or unset.
 * - `bad_ip`: an address field is not an IPv4/IPv6 address.
 * - `bad_port`: a port is not an integer 0..65535.
 * - `bad_timestamp`: a time is unparseable, negative or implausibly large.
 * - `bad_count`: a byte/packet counter is not a non-negative safe integer.
 * - `bad_value`: any other field has the wrong type or value.
 * - `no_header`: a Zeek TSV data line arrived before a usable `#fields` header.
 * - `bad_header`: a Zeek TSV header line is malformed or lacks required fields.
 * - `column_count`: a Zeek TSV data line has more or fewer columns than `#fields`.
 * - `internal`: a bug in the decoder; the message names the exception.
 */
export type DecodeReason =
  | 'empty'
  | 'too_large'
  | 'not_utf8'
  | 'bad_json'
  | 'not_object'
  | 'missing_field'
  | 'bad_ip'
  | 'bad_port'
  | 'bad_timestamp'
  | 'bad_count'
  | 'bad_value'
  | 'no_header'
  | 'bad_header'
  | 'column_count'
  | 'internal';

/** Every {@link DecodeReason}, for counters that want a zero per reason. */
export const DECODE_REASONS: readonly DecodeReason[] = [
  'empty',
  'too_large',
  'not_utf8',
  'bad_json',
  'not_object',
  'missing_field',
  'bad_ip',
  'bad_port',
  'bad_timestamp',
  'bad_count',
  'bad_value',
  'no_header',
  'bad_header',
  'column_count',
  'internal',
];

/** Name of a decoder, as used in {@link DecodeError.format} and `decoderFor`. */
export type FormatName = 'zeek' | 'zeek-tsv' | 'suricata' | 'goflow2' | 'generic';

/**
 * A message that cannot be decoded. A plain serialisable object (no stack),
 * so the consumer can put it in a dead-letter record as it is.
 */
export interface DecodeError {
  reason: DecodeReason;
  /** Human-readable: what is wrong and with which value. */
  message: string;
  format: FormatName;
  /** Source field name, when one field is at fault (`id.orig_h`, `flow.bytes_toserver`). */
  field: string | undefined;
}

/**
 * Why well-formed input carried nothing to count. Not an error: the consumer
 * commits past it and may count it, but does not dead-letter it.
 *
 * - `header`: a Zeek TSV `#` line (header, `#open`, `#close`).
 * - `blank`: an empty line in an archive.
 * - `event_type`: a Suricata event type other than `flow` and `alert` (dns, http, stats, ...).
 * - `other_log`: a Zeek record of another log stream (tagged `dns`, `_path: http`, ...).
 * - `not_ip`: a goflow2 record of a non-IP frame (ARP, ...).
 */
export type SkipReason = 'header' | 'blank' | 'event_type' | 'other_log' | 'not_ip';

/** Details of a skipped input. */
export interface Skip {
  reason: SkipReason;
  message: string;
}

/**
 * The outcome of decoding one message or line. Decoders never throw on bad
 * input; they return `ok: false` with a {@link DecodeError}. `kind` tells the
 * variants apart without `in` checks.
 */
export type DecodeResult =
  | { ok: true; kind: 'event'; event: NetEvent }
  | { ok: true; kind: 'annotation'; annotation: Annotation }
  | { ok: true; kind: 'skip'; skip: Skip }
  | { ok: false; kind: 'error'; error: DecodeError };

/** A stateless decoder of one message. */
export type Decoder = (input: Uint8Array | string) => DecodeResult;

/** Largest message a decoder accepts (1 MiB, Kafka's default `message.max.bytes`). */
export const MAX_INPUT_BYTES = 1024 * 1024;
