export type { EventSource, NetEvent, Annotation } from './netEvent';
export type {
  DecodeReason,
  DecodeError,
  DecodeResult,
  Decoder,
  FormatName,
  Skip,
  SkipReason,
} from './decodeResult';
export { DECODE_REASONS, MAX_INPUT_BYTES } from './decodeResult';
export { canonicalIp } from './canonicalIp';
export { canonicalProto } from './protocol';
export { parseIsoTimestamp } from './timestamp';
export type { DurationUnit, TimeUnit } from './fieldReaders';
export { ZEEK_CONN_FIELDS } from './zeekConn';
export type { ZeekConnField } from './zeekConn';
export { decodeZeekConnJson } from './zeekConnJson';
export { createZeekTsvReader } from './zeekTsv';
export type { ZeekTsvHeader, ZeekTsvReader } from './zeekTsv';
export { decodeSuricataEve } from './suricataEve';
export { decodeGoflow2 } from './goflow2';
export type { Goflow2Options } from './goflow2';
export { createGenericDecoder } from './genericJson';
export type { GenericMapping, MappedField } from './genericJson';
export type { FieldPath } from './fieldPath';
export { DecoderConfigError } from './decoderConfigError';
export { decoderFor, FORMAT_NAMES } from './decoderFor';
export type { DecoderOptions } from './decoderFor';
export { detectFormat } from './detectFormat';
