import { decodeZeekConnJson } from '@ipscope/events';
import { compileCatalog, defaultCatalog, storeMetrics } from '@ipscope/metrics';
import { ZeekConnGenerator } from '@ipscope/testkit';
import type { MetricOptions, Sample } from '@ipscope/timeseries';

/** Samples of a realistic mix, and the store's metric options for them. */
export interface Workload {
  samples: Sample[];
  metrics: Record<string, MetricOptions>;
  events: number;
  entities: number;
  from: number;
  to: number;
}

/**
 * Simulated Zeek conn traffic (packages/testkit's generator: ~10k hosts, Zipf-popular servers,
 * daily rhythm, heavy-tailed sizes) for `seconds` ending at `end`, decoded as the ingest decodes it
 * and turned into samples by the default metric catalog: count, histogram (numbers and labels)
 * and hll metrics, in the seed's two intervals.
 */
export function defaultMix(end: number, seconds: number, ratePerSecond: number, seed = 7): Workload {
  const generator = new ZeekConnGenerator({ seed, clients: 9776, servers: 24 });
  const catalog = compileCatalog(defaultCatalog);
  const samples: Sample[] = [];
  let events = 0;
  for (const record of generator.between(end - seconds, end, ratePerSecond)) {
    const decoded = decodeZeekConnJson(JSON.stringify(record));
    if (decoded.kind !== 'event') continue;
    catalog.samples(decoded.event, samples);
    events++;
  }
  return { samples, metrics: storeMetrics(catalog), events, entities: new Set(samples.map((s) => s.entity)).size, from: end - seconds, to: end };
}

/** 2026-11-25 (a Wednesday) 14:00 UTC: the end of the benchmark's simulated traffic. */
export const PINNED_END = 1_795_615_200;

const DAY = 86_400;

/**
 * The same traffic in every run: {@link defaultMix} ending at {@link PINNED_END} (the generator
 * follows the time of day and the weekday, so a mix ending "now" grows and shrinks with the
 * clock), then moved by whole days to end within the day before `now` (kairos expires by the wall
 * clock, so its samples must be recent). Whole days keep every bucket and chunk boundary of the
 * seed's intervals, so every run stores the same buckets.
 */
export function pinnedMix(now: number, seconds: number, ratePerSecond: number, seed = 7): Workload {
  const mix = defaultMix(PINNED_END, seconds, ratePerSecond, seed);
  const shift = Math.floor((now - PINNED_END) / DAY) * DAY;
  if (shift === 0) return mix;
  const samples = mix.samples.map((s) => ({ ...s, ts: s.ts + shift }));
  return { ...mix, samples, from: mix.from + shift, to: mix.to + shift };
}

/**
 * The three kairos types the default catalog does not use, from the same traffic: per originator
 * the last connection's bytes (gauge), every connection's bytes (series) and the responders'
 * ports (set).
 */
export function extraTypes(mix: Workload): Workload {
  const samples: Sample[] = [];
  for (const s of mix.samples) {
    if (s.metric !== 'conn.bytes.orig') continue;
    samples.push({ metric: 'x.gauge', entity: s.entity, ts: s.ts, value: s.value }, { metric: 'x.series', entity: s.entity, ts: s.ts, value: s.value });
  }
  for (const s of mix.samples) if (s.metric === 'conn.responded') samples.push({ metric: 'x.set', entity: s.entity, ts: s.ts, value: String(s.value) });
  return {
    ...mix,
    samples,
    metrics: { 'x.gauge': { type: 'gauge' }, 'x.series': { type: 'series' }, 'x.set': { type: 'set' } },
  };
}
