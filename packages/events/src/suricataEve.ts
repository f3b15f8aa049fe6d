import type { DecodeResult } from './decodeResult';
import { DecodeFault, SkipSignal, guard, preview } from './decodeFault';
import {
  readCount,
  readDuration,
  readIp,
  readPort,
  readProto,
  readString,
  readTimestamp,
} from './fieldReaders';
import { isObject, parseJsonObject, type JsonObject } from './input';
import type { Annotation, NetEvent } from './netEvent';

/**
 * Decodes one Suricata EVE JSON record.
 *
 * - `flow` events become a NetEvent: `src_ip`/`src_port` is the originator,
 *   `dest_ip`/`dest_port` the responder, `flow.bytes_toserver`/`pkts_toserver`
 *   the originator's counters and `*_toclient` the responder's. Note that
 *   Suricata counts whole packets (headers included) where Zeek's
 *   `orig_bytes` counts payload. `ts` is `flow.start` (the connection start,
 *   like Zeek's `ts`), falling back to `timestamp`; `duration` is
 *   `flow.end - flow.start`, else `flow.age`. `service` is `app_proto`
 *   unless Suricata reports `failed`/`unknown`.
 * - `connState` is derived in Zeek's vocabulary from the TCP flags Suricata
 *   saw each way (`tcp.tcp_flags_ts`, `tcp.tcp_flags_tc`), and for UDP from
 *   which sides sent packets; it is an approximation of what Zeek would say.
 * - `alert` events become an {@link Annotation} on `src_ip` and `dest_ip`.
 * - Every other event type (dns, http, tls, fileinfo, stats, netflow, ...) is
 *   skipped with reason `event_type`. `netflow` is skipped too: its records
 *   are one-directional halves of what `flow` reports whole.
 */
export function decodeSuricataEve(input: Uint8Array | string): DecodeResult {
  return guard('suricata', () => {
    const record = parseJsonObject(input);
    const type = record['event_type'];
    if (type === undefined || type === null) throw new DecodeFault('missing_field', 'event_type is missing', 'event_type');
    if (typeof type !== 'string') {
      throw new DecodeFault('bad_value', `event_type is not a string: ${preview(type)}`, 'event_type');
    }
    if (type === 'flow') return flowEvent(record);
    if (type === 'alert') return alertAnnotation(record);
    throw new SkipSignal('event_type', `Suricata ${preview(type)} event, only flow and alert are used`);
  });
}

function flowEvent(record: JsonObject): NetEvent {
  const flow = objectField(record, 'flow');
  const start = flow['start'] === undefined || flow['start'] === null ? undefined : readTimestamp(flow['start'], 'flow.start', 'iso8601');
  const ts = start ?? readTimestamp(record['timestamp'], 'timestamp', 'iso8601');
  const end = flow['end'] === undefined || flow['end'] === null ? undefined : readTimestamp(flow['end'], 'flow.end', 'iso8601');
  const duration =
    start !== undefined && end !== undefined && end >= start ? end - start : readDuration(flow['age'], 'flow.age');
  const proto = readProto(record['proto'], 'proto');
  const origPkts = readCount(flow['pkts_toserver'], 'flow.pkts_toserver');
  const respPkts = readCount(flow['pkts_toclient'], 'flow.pkts_toclient');
  const service = readString(record['app_proto'], 'app_proto', 64);
  return {
    ts,
    origIp: readIp(record['src_ip'], 'src_ip'),
    origPort: readPort(record['src_port'], 'src_port'),
    respIp: readIp(record['dest_ip'], 'dest_ip'),
    respPort: readPort(record['dest_port'], 'dest_port'),
    proto,
    service: service === 'failed' || service === 'unknown' ? undefined : service,
    origBytes: readCount(flow['bytes_toserver'], 'flow.bytes_toserver'),
    respBytes: readCount(flow['bytes_toclient'], 'flow.bytes_toclient'),
    origPkts,
    respPkts,
    duration,
    connState: derivedConnState(proto, record['tcp'], origPkts, respPkts),
    source: 'suricata',
  };
}

function alertAnnotation(record: JsonObject): Annotation {
  const alert = objectField(record, 'alert');
  const signature = readString(alert['signature'], 'alert.signature', 1024);
  if (signature === undefined) throw new DecodeFault('missing_field', 'alert.signature is missing', 'alert.signature');
  if (alert['severity'] === undefined || alert['severity'] === null) {
    throw new DecodeFault('missing_field', 'alert.severity is missing', 'alert.severity');
  }
  const severity = readCount(alert['severity'], 'alert.severity');
  if (severity < 1 || severity > 255) {
    throw new DecodeFault('bad_value', `alert.severity is not 1..255: ${preview(alert['severity'])}`, 'alert.severity');
  }
  const src = readIp(record['src_ip'], 'src_ip');
  const dest = readIp(record['dest_ip'], 'dest_ip');
  const sid = alert['signature_id'];
  return {
    kind: 'annotation',
    ts: readTimestamp(record['timestamp'], 'timestamp', 'iso8601'),
    ips: src === dest ? [src] : [src, dest],
    signature,
    severity,
    signatureId: sid === undefined || sid === null ? undefined : readCount(sid, 'alert.signature_id'),
    category: readString(alert['category'], 'alert.category'),
    action: readString(alert['action'], 'alert.action', 32),
    proto: record['proto'] === undefined ? undefined : readProto(record['proto'], 'proto'),
    origPort: readPort(record['src_port'], 'src_port'),
    respPort: readPort(record['dest_port'], 'dest_port'),
    source: 'suricata',
  };
}

function objectField(record: JsonObject, field: string): JsonObject {
  const value = record[field];
  if (value === undefined || value === null) throw new DecodeFault('missing_field', `${field} is missing`, field);
  if (!isObject(value)) throw new DecodeFault('bad_value', `${field} is not an object: ${preview(value)}`, field);
  return value;
}

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;

/**
 * Zeek's conn_state from what Suricata saw. TCP uses the cumulative flags of
 * each direction; UDP uses which sides sent packets. `undefined` when the
 * record lacks what is needed (no `tcp` section, flags not hex).
 */
function derivedConnState(proto: string, tcp: unknown, origPkts: number, respPkts: number): string | undefined {
  if (proto === 'udp') {
    if (origPkts > 0) return respPkts > 0 ? 'SF' : 'S0';
    return respPkts > 0 ? 'SHR' : undefined;
  }
  if (proto !== 'tcp' || !isObject(tcp)) return undefined;
  const ts = hexFlags(tcp['tcp_flags_ts']);
  const tc = hexFlags(tcp['tcp_flags_tc']);
  if (ts === undefined || tc === undefined) return undefined;
  const origSyn = (ts & SYN) !== 0;
  const respSyn = (tc & SYN) !== 0;
  if (!origSyn) {
    if (respSyn && (tc & RST) !== 0) return 'RSTRH';
    if (respSyn && (tc & FIN) !== 0) return 'SHR';
    return 'OTH';
  }
  if (tc === 0) {
    if ((ts & RST) !== 0) return 'RSTOS0';
    if ((ts & FIN) !== 0) return 'SH';
    return 'S0';
  }
  if (!respSyn) return (tc & RST) !== 0 ? 'REJ' : 'OTH';
  if ((ts & RST) !== 0) return 'RSTO';
  if ((tc & RST) !== 0) return 'RSTR';
  const origFin = (ts & FIN) !== 0;
  const respFin = (tc & FIN) !== 0;
  if (origFin && respFin) return 'SF';
  if (origFin) return 'S2';
  if (respFin) return 'S3';
  return 'S1';
}

function hexFlags(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^[0-9a-fA-F]{1,2}$/.test(value)) return undefined;
  return parseInt(value, 16);
}
