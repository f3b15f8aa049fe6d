import type { Redis } from 'ioredis';
import { createStore, type MetricOptions, type Sample } from '@ipscope/timeseries';
import { runKairos } from './kairosRunner';

export interface ThroughputFigures {
  samples: number;
  batch: number;
  /** ipscope samples/s, each run (fresh Redis content each time). */
  ipscope: number[];
  /** ipscope with a fence token per batch (what the ingest does), samples/s. */
  ipscopeFenced: number;
  /** kairos bulk_insert samples/s (its own timing, batches prepared before the clock starts). */
  kairos: number;
  /** median ipscope / kairos. */
  ratio: number;
}

async function ours(redis: Redis, metrics: Record<string, MetricOptions>, batches: Sample[][], fenced: boolean): Promise<number> {
  await redis.flushall();
  const store = createStore(redis, { prefix: 'ips', metrics });
  const start = performance.now();
  let token = 0;
  let samples = 0;
  for (const batch of batches) {
    const r = await store.bulkInsert(batch, fenced ? { fence: { scope: 'bench/0', token: token++ } } : {});
    samples += r.written + r.dropped;
  }
  const seconds = (performance.now() - start) / 1000;
  return Math.round(samples / seconds);
}

/**
 * Write throughput of the same samples into the same Redis, side by side: ipscope, kairos,
 * ipscope again (and once with fencing), each on an emptied Redis.
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
  const first = await ours(redis, metrics, batches, false);
  log(`throughput: ipscope ${first} samples/s`);
  await redis.flushall();
  const k = runKairos(python, workDir, port, samples, metrics, batch);
  const kairos = Math.round(k.samples / k.seconds);
  log(`throughput: kairos ${kairos} samples/s (${k.seconds.toFixed(1)} s)`);
  const second = await ours(redis, metrics, batches, false);
  log(`throughput: ipscope ${second} samples/s`);
  const fenced = await ours(redis, metrics, batches, true);
  log(`throughput: ipscope fenced ${fenced} samples/s`);
  await redis.flushall();
  const runs = [first, second, fenced].sort((a, b) => a - b);
  return { samples: samples.length, batch, ipscope: [first, second], ipscopeFenced: fenced, kairos, ratio: Math.round(((runs[1] as number) / kairos) * 10) / 10 };
}
