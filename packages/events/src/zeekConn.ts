import { readCount, readDuration, readIp, readPort, readProto, readString, readTimestamp } from './fieldReaders';
import type { NetEvent } from './netEvent';

/**
 * The Zeek `conn.log` fields ipscope reads, by their documented names. Other
 * fields (`uid`, `history`, `tunnel_parents`, `local_orig`, `community_id`,
 * ...) are ignored. `ts`, `id.orig_h`, `id.resp_h` and `proto` are required.
 */
export const ZEEK_CONN_FIELDS = [
  'ts',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'proto',
  'service',
  'duration',
  'orig_bytes',
  'resp_bytes',
  'conn_state',
  'orig_pkts',
  'resp_pkts',
] as const;

/** A field of {@link ZEEK_CONN_FIELDS}. */
export type ZeekConnField = (typeof ZEEK_CONN_FIELDS)[number];

/** Fields a conn record cannot do without. */
export const ZEEK_CONN_REQUIRED: readonly ZeekConnField[] = ['ts', 'id.orig_h', 'id.resp_h', 'proto'];

/**
 * Builds a NetEvent from one Zeek conn record, whatever its encoding: `get`
 * returns a field's raw value, `undefined` when unset. Unset counters are 0
 * (Zeek leaves `orig_bytes` unset on connections it saw no payload for).
 */
export function zeekConnEvent(get: (field: ZeekConnField) => unknown): NetEvent {
  return {
    ts: readTimestamp(get('ts'), 'ts'),
    origIp: readIp(get('id.orig_h'), 'id.orig_h'),
    origPort: readPort(get('id.orig_p'), 'id.orig_p'),
    respIp: readIp(get('id.resp_h'), 'id.resp_h'),
    respPort: readPort(get('id.resp_p'), 'id.resp_p'),
    proto: readProto(get('proto'), 'proto'),
    service: readString(get('service'), 'service', 128),
    origBytes: readCount(get('orig_bytes'), 'orig_bytes'),
    respBytes: readCount(get('resp_bytes'), 'resp_bytes'),
    origPkts: readCount(get('orig_pkts'), 'orig_pkts'),
    respPkts: readCount(get('resp_pkts'), 'resp_pkts'),
    duration: readDuration(get('duration'), 'duration'),
    connState: readString(get('conn_state'), 'conn_state', 16),
    source: 'zeek',
  };
}
