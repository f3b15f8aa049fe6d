import type { Redis } from 'ioredis';
import { createStore, type MetricOptions, type Sample, type Store } from '@ipscope/timeseries';
import { runKairos } from './kairosRunner';

export interface ThroughputFigures {
  samples: number;
  batch: number;
  /** ipscope samples/s, each run (fresh Redis content each time), after one untimed warm-up run. */
  ipscope: number[];
  /** ipscope with a fence token per batch, samples/s. */
  ipscopeFenced: number;
  /**
   * ipscope's aggregate path (store.aggregate + writeAggregate, what the ingest does since session
   * 2), samples/s, each run; the folding of every sample into the aggregate is inside the clock.
   */
  ipscopeAggregate: number[];
  /** The aggregate path with a fence range per batch (as the ingest writes), samples/s. */
  ipscopeAggregateFenced: number;
  /** median aggregate path / median kairos. */
  aggregateRatio: number;
  /** kairos bulk_insert samples/s, each run (its own timing, batches prepared before the clock starts). */
  kairos: number[];
  /** median ipscope / median kairos. */
  ratio: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
}

/** Samples/s of `write` applied to every batch in turn, on an emptied Redis and a fresh store. */
async function timedWrites(
  redis: Redis,
  metrics: Record<string, MetricOptions>,
  batches: Sample[][],
  write: (store: Store, batch: Sample[], first: number) => Promise<{ written: number; dropped: number }>,
): Promise<number> {
  await redis.flushall();
  const store = createStore(redis, { prefix: 'ips', metrics });
  const start = performance.now();
  let first = 0;
  let samples = 0;
  for (const batch of batches) {
    const r = await write(store, batch, first);
    first += batch.length;
    samples += r.written + r.dropped;
  }
  const seconds = (performance.now() - start) / 1000;
  return Math.round(samples / seconds);
}

function ours(redis: Redis, metrics: Record<string, MetricOptions>, batches: Sample[][], fenced: boolean): Promise<number> {
  let token = 0;
  return timedWrites(redis, metrics, batches, (store, batch) => store.bulkInsert(batch, fenced ? { fence: { scope: 'bench/0', token: token++ } } : {}));
}

function oursAggregate(redis: Redis, metrics: Record<string, MetricOptions>, batches: Sample[][], fenced: boolean): Promise<number> {
  return timedWrites(redis, metrics, batches, (store, batch, from) => {
    const aggregate = store.aggregate();
    for (const s of batch) aggregate.add(s.metric, s.entity, s.ts, s.value);
    const token = from + batch.length - 1;
    return store.writeAggregate(aggregate, fenced ? { fence: { scope: 'bench/0', token, from } } : {});
  });
}

/**
 * Write throughput of the same samples into the same Redis, side by side and interleaved, each run
 * on an emptied Redis: ipscope (one untimed warm-up run first, as a long-running ingest is warm),
 * then kairos, ipscope, ipscope's aggregate path, twice, and once each ipscope path with fencing.
 */
export async function measureThroughput(
  redis: Redis,
  port: number,
  python: string,
  workDir: string,
  metrics: Record<string, MetricOptions>,
  samples: readonly Sample[],
  batch: number,
  log: (line: string) => void,
): Promise<ThroughputFigures> {
  const batches: Sample[][] = [];
  for (let i = 0; i < samples.length; i += batch) batches.push(samples.slice(i, i + batch));
  log(`throughput: ipscope warm-up ${await ours(redis, metrics, batches, false)} samples/s (not counted)`);
  log(`throughput: ipscope aggregate warm-up ${await oursAggregate(redis, metrics, batches, false)} samples/s (not counted)`);
  const ipscope: number[] = [];
  const aggregate: number[] = [];
  const kairos: number[] = [];
  for (let round = 0; round < 2; round++) {
    await redis.flushall();
    const k = runKairos(python, workDir, port, samples, metrics, batch);
    kairos.push(Math.round(k.samples / k.seconds));
    log(`throughput: kairos ${kairos[kairos.length - 1]} samples/s (${k.seconds.toFixed(1)} s)`);
    ipscope.push(await ours(redis, metrics, batches, false));
    log(`throughput: ipscope ${ipscope[ipscope.length - 1]} samples/s`);
    aggregate.push(await oursAggregate(redis, metrics, batches, false));
    log(`throughput: ipscope aggregate ${aggregate[aggregate.length - 1]} samples/s`);
  }
  const fenced = await ours(redis, metrics, batches, true);
  log(`throughput: ipscope fenced ${fenced} samples/s`);
  const aggregateFenced = await oursAggregate(redis, metrics, batches, true);
  log(`throughput: ipscope aggregate fenced ${aggregateFenced} samples/s`);
  await redis.flushall();
  return {
    samples: samples.length,
    batch,
    ipscope,
    ipscopeFenced: fenced,
    ipscopeAggregate: aggregate,
    ipscopeAggregateFenced: aggregateFenced,
    kairos,
    ratio: Math.round((median(ipscope) / median(kairos)) * 10) / 10,
    aggregateRatio: Math.round((median(aggregate) / median(kairos)) * 10) / 10,
  };
}
