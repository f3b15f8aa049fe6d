/** Which decoder produced an event. */
export type EventSource = 'zeek' | 'suricata' | 'goflow2' | 'generic';

/**
 * One decoded flow or connection, the unit every metric is computed from.
 *
 * IPs are canonical (see {@link canonicalIp}); `proto` is a lower-case
 * transport name (`tcp`, `udp`, `icmp`, `sctp`, ...; ICMPv6 is `icmp` as in
 * Zeek). Byte and packet counters are non-negative safe integers, 0 when the
 * source did not report them. Optional fields are always present as
 * properties (possibly `undefined`) so every event has the same shape.
 */
export interface NetEvent {
  /** Start of the connection, unix seconds (fractional). */
  ts: number;
  origIp: string;
  origPort: number | undefined;
  respIp: string;
  respPort: number | undefined;
  proto: string;
  /** Application protocol as named by the sensor (`dns`, `ssl,http`, `tls`, ...). */
  service: string | undefined;
  origBytes: number;
  respBytes: number;
  origPkts: number;
  respPkts: number;
  /** Seconds. */
  duration: number | undefined;
  /** Zeek connection state (`SF`, `S0`, `REJ`, ...), derived for Suricata TCP/UDP flows. */
  connState: string | undefined;
  source: EventSource;
}

/**
 * An IDS alert kept as a note on the IPs it names (Suricata `alert` events).
 * It does not feed metrics; the UI shows it beside the IPs' series.
 */
export interface Annotation {
  kind: 'annotation';
  /** Unix seconds (fractional). */
  ts: number;
  /** Canonical IPs the alert names, source first, without duplicates. */
  ips: string[];
  signature: string;
  /** Suricata severity: 1 is the most severe. */
  severity: number;
  signatureId: number | undefined;
  category: string | undefined;
  /** `allowed` or `blocked`. */
  action: string | undefined;
  proto: string | undefined;
  origPort: number | undefined;
  respPort: number | undefined;
  source: EventSource;
}
