import type { Filter, MetricDefinition, Transform } from './metricDefinition';

/** Zeek's connection states; anything else a sensor reports is binned as `other`. */
export const ZEEK_CONN_STATES: readonly string[] = ['S0', 'S1', 'SF', 'REJ', 'S2', 'S3', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH'];

const both = ['days', 'months'] as const;

/**
 * Log-scale duration bins, named by their lower edge in seconds: 0 (below
 * 0.01 s), 0.01, 0.1, 1, 10, 100, 1000, 10000 (10000 s and more). Numbers,
 * not range labels, so bins sort naturally in charts and the store's
 * histogram percentiles apply; `logBinLabels` gives the `0.01-0.1s` text.
 */
const durationBins: Transform = { kind: 'logBins', min: 0.01, max: 10000, base: 10, unit: 's', labels: 'lowerEdge' };
const states: Transform = { kind: 'oneOf', values: ZEEK_CONN_STATES, other: 'other' };
const portedProtocols: Filter = { field: 'proto', op: 'in', values: ['tcp', 'udp', 'sctp'] };

/**
 * "The responder answered": it sent packets back and did not refuse the
 * connection (Zeek's REJ: a RST to the SYN). Unidirectional flow records
 * (goflow2) carry no responder packets, so they never count here.
 */
const responded: Filter = {
  all: [
    { field: 'respPkts', op: 'gt', value: 0 },
    { field: 'connState', op: 'ne', value: 'REJ' },
  ],
};

function perRole(
  base: string,
  make: (role: 'orig' | 'resp', roleWord: string) => Omit<MetricDefinition, 'name' | 'key' | 'version' | 'intervals'>,
): MetricDefinition[] {
  return (['orig', 'resp'] as const).map((role) => ({
    name: `${base}.${role}`,
    version: 1,
    key: role,
    intervals: both,
    ...make(role, role === 'orig' ? 'originated' : 'answered as responder'),
  }));
}

const definitions: MetricDefinition[] = [
  {
    name: 'conn.responded',
    version: 1,
    type: 'histogram',
    key: 'resp',
    value: { field: 'respPort' },
    filter: responded,
    description:
      'Times the IP responded to connection requests, by the port it answered on (443, 53, ...); refused (REJ) and unanswered attempts are not counted.',
    unit: 'connections',
    intervals: both,
  },
  ...perRole('conn.count', (_role, word) => ({
    type: 'count',
    value: { const: 1 },
    description: `Connections the IP ${word}.`,
    unit: 'connections',
  })),
  ...perRole('conn.bytes', (_role, word) => ({
    type: 'count',
    value: { field: 'bytes' },
    description: `Bytes in both directions of the connections the IP ${word}.`,
    unit: 'bytes',
  })),
  ...perRole('conn.pkts', (_role, word) => ({
    type: 'count',
    value: { field: 'pkts' },
    description: `Packets in both directions of the connections the IP ${word}.`,
    unit: 'packets',
  })),
  ...perRole('conn.peers', (_role, word) => ({
    type: 'hll',
    value: { field: 'peerIp' },
    description: `Distinct peer IPs of the connections the IP ${word} (approximate).`,
    unit: 'peers',
  })),
  ...perRole('conn.ports', (role) => ({
    type: 'hll',
    value: { field: 'protoPort' },
    filter: portedProtocols,
    description:
      role === 'orig'
        ? 'Distinct destination protocol/ports the IP connected to (approximate); a jump suggests a port scan.'
        : 'Distinct protocol/ports of the IP that peers connected to (approximate); a jump suggests it is being scanned.',
    unit: 'ports',
  })),
  ...perRole('conn.state', (_role, word) => ({
    type: 'histogram',
    value: { field: 'connState', transform: states },
    description: `Zeek connection states (SF, REJ, S0, RSTO, ...) of the connections the IP ${word}; S0 and REJ expose scans and failures.`,
    unit: 'connections',
  })),
  ...perRole('conn.service', (_role, word) => ({
    type: 'histogram',
    value: { field: 'service', default: 'unknown' },
    description: `Application protocols detected on the connections the IP ${word} ("unknown" when none was).`,
    unit: 'connections',
  })),
  ...perRole('conn.duration', (_role, word) => ({
    type: 'histogram',
    value: { field: 'duration', transform: durationBins },
    description: `Durations of the connections the IP ${word}, in log-scale bins named by their lower edge in seconds (0, 0.01, 0.1, 1, ..., 10000).`,
    unit: 'connections',
  })),
  // Who an IP talked to, for the IP page's peers table. Half-hour buckets only: a busy
  // server meets hundreds of peers a minute, and a peers table needs no finer time.
  {
    name: 'conn.peer.orig',
    version: 1,
    type: 'histogram',
    key: 'orig',
    value: { field: 'peerIp', unbounded: true },
    description: 'Connections the IP originated, by responder IP (half-hour buckets).',
    unit: 'connections',
    intervals: ['months'],
  },
  {
    name: 'conn.peer.resp',
    version: 1,
    type: 'histogram',
    key: 'resp',
    value: { field: 'peerIp', unbounded: true },
    description: 'Connections the IP answered, by originator IP (half-hour buckets).',
    unit: 'connections',
    intervals: ['months'],
  },
  // The byte-weighted twins, for the peers table's bytes column: both directions of the
  // connection (orig_bytes + resp_bytes). Decoders read missing byte counts as 0, and a
  // connection of 0 bytes gives no sample (its peer still shows, with 0 bytes).
  {
    name: 'conn.peer.orig.bytes',
    version: 1,
    type: 'histogram',
    key: 'orig',
    value: { field: 'peerIp', unbounded: true },
    weight: 'bytes',
    description: 'Bytes in both directions of the connections the IP originated, by responder IP (half-hour buckets).',
    unit: 'bytes',
    intervals: ['months'],
  },
  {
    name: 'conn.peer.resp.bytes',
    version: 1,
    type: 'histogram',
    key: 'resp',
    value: { field: 'peerIp', unbounded: true },
    weight: 'bytes',
    description: 'Bytes in both directions of the connections the IP answered, by originator IP (half-hour buckets).',
    unit: 'bytes',
    intervals: ['months'],
  },
];

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * The default catalog: per IP, as originator and as responder, connections,
 * bytes, packets, distinct peers and ports (hll), and histograms of
 * connection states, services and durations; plus the seed's example,
 * `conn.responded`. All on the seed's `days` and `months` intervals. Besides,
 * for the peers table, on `months` only: connections (`conn.peer.orig`,
 * `conn.peer.resp`) and bytes (`conn.peer.orig.bytes`, `conn.peer.resp.bytes`)
 * per peer IP. Frozen.
 */
export const defaultCatalog: readonly MetricDefinition[] = deepFreeze(definitions);
