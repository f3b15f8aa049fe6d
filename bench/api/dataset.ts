import type { Store, Sample } from '@ipscope/timeseries';

/** The benchmark's data set: what was written and where to look. */
export interface ApiDataset {
  /** Start of the 2-day window (unix seconds, minute-aligned). */
  start: number;
  /** End (exclusive). */
  end: number;
  /** The busiest IPs, with a bucket every minute of the window. */
  busy: string[];
  /** Number of IPs in total. */
  ips: number;
  /** Samples written. */
  samples: number;
  metric: string;
}

export const METRIC = 'conn.count.resp';
const MINUTES = 2880;
const BATCH = 20_000;

/** Small deterministic PRNG (mulberry32), so every run loads the same data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function busyIp(i: number): string {
  return `10.0.${i >> 8}.${i & 255}`;
}

function backgroundIp(i: number): string {
  // Every 100th background host is IPv6, the rest IPv4 in 172.16.0.0/12.
  if (i % 100 === 0) return `2001:db8::${(i >> 16).toString(16)}:${(i & 0xffff).toString(16)}`;
  return `172.${16 + ((i >> 16) & 15)}.${(i >> 8) & 255}.${i & 255}`;
}

/**
 * Writes `ips` IPs' connection counts through the store: the busiest `busyCount` with a
 * bucket every minute for 2 days ending at `end`, the others with three small buckets each.
 * Busy counts are 5..54 per minute, background ones 1..3, so the busiest are the top.
 */
export async function loadDataset(store: Store, opts: { end: number; ips: number; busyCount: number; onProgress?: (written: number) => void }): Promise<ApiDataset> {
  const start = opts.end - MINUTES * 60;
  const random = rng(42);
  let batch: Sample[] = [];
  let written = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await store.bulkInsert(batch);
    written += batch.length;
    batch = [];
    opts.onProgress?.(written);
  };
  const busy: string[] = [];
  for (let i = 0; i < opts.busyCount; i++) {
    const ip = busyIp(i);
    busy.push(ip);
    for (let m = 0; m < MINUTES; m++) {
      batch.push({ metric: METRIC, entity: ip, ts: start + m * 60 + 30, value: 5 + Math.floor(random() * 50) });
      if (batch.length >= BATCH) await flush();
    }
  }
  for (let i = 0; i < opts.ips - opts.busyCount; i++) {
    const ip = backgroundIp(i);
    for (let k = 0; k < 3; k++) {
      batch.push({ metric: METRIC, entity: ip, ts: start + Math.floor(random() * MINUTES) * 60 + 10, value: 1 + Math.floor(random() * 3) });
      if (batch.length >= BATCH) await flush();
    }
  }
  await flush();
  return { start, end: opts.end, busy, ips: opts.ips, samples: written, metric: METRIC };
}
