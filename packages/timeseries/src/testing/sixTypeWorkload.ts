import type { Sample, StoreOptions } from '../index';

/** One metric of every store type, with top-N on a histogram and a series. */
export const SIX_TYPE_METRICS: NonNullable<StoreOptions['metrics']> = {
  bytes: { type: 'count' },
  sizes: { type: 'histogram', top: true },
  lens: { type: 'series', intervals: ['days'], top: true },
  rtt: { type: 'gauge' },
  ports: { type: 'set' },
  peers: { type: 'hll' },
};

/** The value of each metric of {@link SIX_TYPE_METRICS} for observation `i`. */
const VALUES: Readonly<Record<string, (i: number) => number | string>> = {
  bytes: (i) => (i * 13) % 500,
  sizes: (i) => i % 9,
  lens: (i) => (i % 11) / 2,
  rtt: (i) => i,
  ports: (i) => `tcp/${i % 6}`,
  peers: (i) => `10.9.${i % 30}.1`,
};

/** Shape of a {@link sixTypeWorkload}. */
export interface SixTypeWorkload {
  t0: number;
  /** Observations; each gives one sample of every metric in `metrics`, in that order. */
  count: number;
  /** Every 7th observation is one of this many IPv6 hosts, the others spread over `v4Hosts` /24s (×3 hosts). */
  v6Hosts: number;
  v4Hosts: number;
  /** Metrics of {@link SIX_TYPE_METRICS} to sample; default all, in its order. */
  metrics?: readonly string[];
}

/** A deterministic mix of IPv4 and IPv6 hosts over two hours from `t0`, every store type. */
export function sixTypeWorkload(w: SixTypeWorkload): Sample[] {
  const metrics = w.metrics ?? Object.keys(SIX_TYPE_METRICS);
  const out: Sample[] = [];
  for (let i = 0; i < w.count; i++) {
    const entity = i % 7 === 0 ? `2001:db8::${(i % w.v6Hosts).toString(16)}` : `10.0.${i % w.v4Hosts}.${i % 3}`;
    const ts = w.t0 + ((i * 37) % 7200);
    for (const metric of metrics) {
      const value = VALUES[metric];
      if (!value) throw new Error(`sixTypeWorkload: ${metric} is not one of ${Object.keys(VALUES).join(', ')}`);
      out.push({ metric, entity, ts, value: value(i) });
    }
  }
  return out;
}
