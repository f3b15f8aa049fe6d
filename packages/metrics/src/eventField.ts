import type { NetEvent } from '@ipscope/events';
import type { KeyRole } from './metricDefinition';

/**
 * What a metric can read from an event. The NetEvent fields as they are, plus
 * fields seen from the keyed IP's side of the connection, so one definition
 * reads the same for `key: 'orig'` and `key: 'resp'`:
 *
 * - `ip`, `peerIp`: the keyed IP and the other side;
 * - `ownPort`, `peerPort`: their ports;
 * - `sentBytes`, `recvBytes`, `sentPkts`, `recvPkts`: from the keyed IP's view;
 * - `bytes`, `pkts`: both directions together;
 * - `protoPort`: the responder's service port with its protocol, `tcp/443`
 *   (absent when the event has no responder port).
 */
export type EventField =
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
  | 'connState'
  | 'source'
  | 'ip'
  | 'peerIp'
  | 'ownPort'
  | 'peerPort'
  | 'bytes'
  | 'pkts'
  | 'sentBytes'
  | 'recvBytes'
  | 'sentPkts'
  | 'recvPkts'
  | 'protoPort';

/** How a field reads, for validation and compilation. */
export interface EventFieldInfo {
  kind: 'number' | 'string';
  /**
   * True when the field takes few enough distinct values to be a histogram
   * bucket as it is (protocols, states, services, ports: at most 65 536).
   */
  bounded: boolean;
  /** Reads the field for a metric keyed by `role`; `undefined` when absent. */
  read(role: KeyRole): (event: NetEvent) => number | string | undefined;
}

const same =
  (read: (e: NetEvent) => number | string | undefined) =>
  (): ((e: NetEvent) => number | string | undefined) =>
    read;

const byRole =
  (orig: (e: NetEvent) => number | string | undefined, resp: (e: NetEvent) => number | string | undefined) =>
  (role: KeyRole): ((e: NetEvent) => number | string | undefined) =>
    role === 'orig' ? orig : resp;

/**
 * `tcp/443` texts, made once per protocol and port: every event of a service then hands the same
 * string on, so the histogram and hll folds find it by identity instead of hashing a new text.
 * Bounded: a few protocols, at most one text per port.
 */
const protoPorts = new Map<string, Map<number, string>>();

function protoPortText(proto: string, port: number): string {
  let byPort = protoPorts.get(proto);
  if (byPort === undefined) {
    if (protoPorts.size >= 64) protoPorts.clear();
    protoPorts.set(proto, (byPort = new Map()));
  }
  let text = byPort.get(port);
  if (text === undefined) {
    if (byPort.size >= 65_536) byPort.clear();
    byPort.set(port, (text = `${proto}/${port}`));
  }
  return text;
}

/** Every {@link EventField} with how it reads. */
export const EVENT_FIELDS: Readonly<Record<EventField, EventFieldInfo>> = {
  ts: { kind: 'number', bounded: false, read: same((e) => e.ts) },
  origIp: { kind: 'string', bounded: false, read: same((e) => e.origIp) },
  origPort: { kind: 'number', bounded: true, read: same((e) => e.origPort) },
  respIp: { kind: 'string', bounded: false, read: same((e) => e.respIp) },
  respPort: { kind: 'number', bounded: true, read: same((e) => e.respPort) },
  proto: { kind: 'string', bounded: true, read: same((e) => e.proto) },
  service: { kind: 'string', bounded: true, read: same((e) => e.service) },
  origBytes: { kind: 'number', bounded: false, read: same((e) => e.origBytes) },
  respBytes: { kind: 'number', bounded: false, read: same((e) => e.respBytes) },
  origPkts: { kind: 'number', bounded: false, read: same((e) => e.origPkts) },
  respPkts: { kind: 'number', bounded: false, read: same((e) => e.respPkts) },
  duration: { kind: 'number', bounded: false, read: same((e) => e.duration) },
  connState: { kind: 'string', bounded: true, read: same((e) => e.connState) },
  source: { kind: 'string', bounded: true, read: same((e) => e.source) },
  ip: { kind: 'string', bounded: false, read: byRole((e) => e.origIp, (e) => e.respIp) },
  peerIp: { kind: 'string', bounded: false, read: byRole((e) => e.respIp, (e) => e.origIp) },
  ownPort: { kind: 'number', bounded: true, read: byRole((e) => e.origPort, (e) => e.respPort) },
  peerPort: { kind: 'number', bounded: true, read: byRole((e) => e.respPort, (e) => e.origPort) },
  bytes: { kind: 'number', bounded: false, read: same((e) => e.origBytes + e.respBytes) },
  pkts: { kind: 'number', bounded: false, read: same((e) => e.origPkts + e.respPkts) },
  sentBytes: { kind: 'number', bounded: false, read: byRole((e) => e.origBytes, (e) => e.respBytes) },
  recvBytes: { kind: 'number', bounded: false, read: byRole((e) => e.respBytes, (e) => e.origBytes) },
  sentPkts: { kind: 'number', bounded: false, read: byRole((e) => e.origPkts, (e) => e.respPkts) },
  recvPkts: { kind: 'number', bounded: false, read: byRole((e) => e.respPkts, (e) => e.origPkts) },
  protoPort: { kind: 'string', bounded: true, read: same((e) => (e.respPort === undefined ? undefined : protoPortText(e.proto, e.respPort))) },
};

/** Names of all {@link EventField}s. */
export const EVENT_FIELD_NAMES = Object.keys(EVENT_FIELDS) as EventField[];
