import type { DecodeResult } from './decodeResult';
import { DecodeFault, SkipSignal, guard, preview } from './decodeFault';
import { readCount, readIp, readPort, readProto, readTimestamp } from './fieldReaders';
import { parseJsonObject } from './input';
import type { NetEvent } from './netEvent';

/** Options of {@link decodeGoflow2}. */
export interface Goflow2Options {
  /**
   * Multiply `bytes` and `packets` by `sampling_rate` to estimate the real
   * traffic from sampled flows (sFlow, sampled NetFlow). Default `false`:
   * counters are stored as reported.
   */
  applySamplingRate?: boolean;
}

const PORTED = new Set(['tcp', 'udp', 'sctp']);
const IP_ETYPES = new Set(['IPv4', 'IPv6', 2048, 34525, '2048', '34525']);

/**
 * Decodes one goflow2 JSON record (v2 field names: `src_addr`, `dst_addr`,
 * `bytes`, `packets`, `time_flow_start_ns`, `time_flow_end_ns`, `proto`,
 * `src_port`, `dst_port`, `etype`, `sampling_rate`, ...).
 *
 * NetFlow/IPFIX/sFlow records are one-directional: the source is the
 * originator and carries all bytes and packets; the responder's counters are
 * 0 and `connState`/`service` are unknown. `ts` is `time_flow_start_ns`
 * (falling back to `time_received_ns` when the exporter left it 0);
 * `duration` is end minus start. Ports are kept for TCP, UDP and SCTP only
 * (goflow2 writes 0 for other protocols). Records of non-IP frames (`etype`
 * ARP, ...) are skipped with reason `not_ip`.
 */
export function decodeGoflow2(input: Uint8Array | string, options: Goflow2Options = {}): DecodeResult {
  return guard('goflow2', () => {
    const record = parseJsonObject(input);
    const etype = record['etype'];
    if (etype !== undefined && etype !== null && !IP_ETYPES.has(etype as string | number)) {
      throw new SkipSignal('not_ip', `goflow2 record of etype ${preview(etype)}, not IPv4/IPv6`);
    }
    const startNs = record['time_flow_start_ns'];
    const endNs = record['time_flow_end_ns'];
    const hasStart = typeof startNs === 'number' ? startNs > 0 : startNs !== undefined && startNs !== null && startNs !== '0';
    const ts = hasStart
      ? readTimestamp(startNs, 'time_flow_start_ns', 'ns')
      : readTimestamp(record['time_received_ns'], 'time_received_ns', 'ns');
    const end = endNs === undefined || endNs === null || endNs === 0 ? undefined : readTimestamp(endNs, 'time_flow_end_ns', 'ns');
    const proto = readProto(record['proto'], 'proto');
    const rate = options.applySamplingRate === true ? samplingRate(record['sampling_rate']) : 1;
    const ported = PORTED.has(proto);
    const event: NetEvent = {
      ts,
      origIp: readIp(record['src_addr'], 'src_addr'),
      origPort: ported ? readPort(record['src_port'], 'src_port') : undefined,
      respIp: readIp(record['dst_addr'], 'dst_addr'),
      respPort: ported ? readPort(record['dst_port'], 'dst_port') : undefined,
      proto,
      service: undefined,
      origBytes: scaled(readCount(record['bytes'], 'bytes'), rate, 'bytes'),
      respBytes: 0,
      origPkts: scaled(readCount(record['packets'], 'packets'), rate, 'packets'),
      respPkts: 0,
      duration: hasStart && end !== undefined && end >= ts ? end - ts : undefined,
      connState: undefined,
      source: 'goflow2',
    };
    return event;
  });
}

function samplingRate(value: unknown): number {
  const rate = readCount(value, 'sampling_rate');
  return rate === 0 ? 1 : rate; // 0 means "not sampled / unknown" in goflow2
}

function scaled(count: number, rate: number, field: string): number {
  const value = count * rate;
  if (!Number.isSafeInteger(value)) {
    throw new DecodeFault('bad_count', `${field} times sampling_rate exceeds the safe integer range`, field);
  }
  return value;
}
