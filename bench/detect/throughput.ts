import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { Detector, MemoryModelStateStore, RedisModelStateStore, SeriesState, encodeState, resolveSeriesModelOptions, seriesId } from '@ipscope/detect';
import type { ClosedBucket, ModelStateStore } from '@ipscope/detect';
import { startRedisServer } from '@ipscope/testkit';
import { cpuSeconds, median, round, usedMemory } from './cpuMeasure';
import { redisCpuSeconds } from '../shared/redisCpu';
import { Random } from './random';

const STEP = 60;
const T0 = Date.UTC(2024, 0, 1) / 1000;
const VALUE_METRICS = ['conns', 'bytes', 'peers', 'ports'] as const;

export interface ThroughputFigures {
  series: number;
  /** Median wall time of one closed step for all series, seconds. */
  memoryStoreSeconds: number;
  redisStoreSeconds: number;
  /** Same updates without store or codec: the model alone. */
  modelOnlySeconds: number;
  /**
   * Median CPU time (user + system) this process spent on one step: what the step
   * costs on one core whatever else the shared machine is doing. For the Redis path
   * `redisServerCpuSeconds` is what redis-server itself spent (INFO cpu).
   */
  memoryStoreCpuSeconds: number;
  redisStoreCpuSeconds: number;
  redisServerCpuSeconds: number;
  modelOnlyCpuSeconds: number;
  /** 10 s budget ÷ measured step time (how many times over the target speed). */
  memoryHeadroom: number;
  redisHeadroom: number;
  stateBytesValue: number;
  stateBytesHistogram: number;
  redisBytesPerSeries: number;
  steps: number[];
}

/** A mature state per kind: trained in memory, then copied to every series. */
function matureStates(hist: boolean, random: Random): { bytes: Uint8Array; lastTs: number } {
  const options = resolveSeriesModelOptions();
  const state = SeriesState.create(STEP, true, hist, options);
  let ts = T0;
  for (let i = 0; i < 3000; i++, ts += STEP) {
    state.update(ts, hist ? { SF: random.poisson(30), S0: random.poisson(2), REJ: random.poisson(1) } : random.poisson(30));
  }
  return { bytes: encodeState(state), lastTs: ts - STEP };
}

function buckets(ids: { metric: string; entity: string; hist: boolean }[], ts: number, random: Random): ClosedBucket[] {
  return ids.map(({ metric, entity, hist }) =>
    hist ? { metric, entity, ts, histogram: { SF: random.poisson(30), S0: random.poisson(2), REJ: random.poisson(1) } } : { metric, entity, ts, value: random.poisson(30) },
  );
}

interface StepTimes {
  wall: number[];
  cpu: number[];
  server: number[];
}

async function timeSteps(
  store: ModelStateStore,
  ids: { metric: string; entity: string; hist: boolean }[],
  from: number,
  steps: number,
  random: Random,
  serverCpu: () => Promise<number> = async () => 0,
): Promise<StepTimes> {
  const detector = new Detector(store, { step: STEP, metrics: { states: { kind: 'histogram' } }, newcomerAfter: 0 });
  const times: StepTimes = { wall: [], cpu: [], server: [] };
  for (let s = 0; s < steps; s++) {
    const ts = from + s * STEP;
    const input = buckets(ids, ts, random);
    const serverBefore = await serverCpu();
    const cpuBefore = cpuSeconds();
    const began = performance.now();
    const result = await detector.processStep(ts, input);
    times.wall.push((performance.now() - began) / 1000);
    times.cpu.push(cpuSeconds() - cpuBefore);
    times.server.push((await serverCpu()) - serverBefore);
    if (result.scores.length !== ids.length) throw new Error(`expected ${ids.length} scores, got ${result.scores.length}`);
  }
  return times;
}

/**
 * Scores `count` active series (4/5 value series, 1/5 histogram series, all with
 * mature state) for `steps` closed minutes through the Detector, first with state in
 * process memory, then with state in a Redis started for the run (its own process,
 * 127.0.0.1); and the same updates on the model alone, without store or codec.
 */
export async function measureThroughput(count: number, steps: number, log: (line: string) => void): Promise<ThroughputFigures> {
  const random = new Random(99);
  const value = matureStates(false, random);
  const histogram = matureStates(true, random);
  const hosts = Math.ceil(count / 5);
  const ids: { metric: string; entity: string; hist: boolean }[] = [];
  for (let h = 0; h < hosts && ids.length < count; h++) {
    const entity = `10.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255}`;
    for (const metric of VALUE_METRICS) if (ids.length < count) ids.push({ metric, entity, hist: false });
    if (ids.length < count) ids.push({ metric: 'states', entity, hist: true });
  }
  const seed = ids.map(({ metric, entity, hist }) => ({ id: seriesId(metric, entity), state: hist ? histogram.bytes : value.bytes, lastSeen: value.lastTs }));
  const first = value.lastTs + STEP;

  log(`throughput: ${ids.length} series, memory store`);
  const memory = new MemoryModelStateStore();
  await memory.save(seed);
  const memoryTimes = await timeSteps(memory, ids, first, steps, random);

  log('throughput: model alone (no store, no codec)');
  const options = resolveSeriesModelOptions();
  const models = ids.map(({ hist }) => SeriesState.create(STEP, true, hist, options));
  const warm = buckets(ids, T0, random);
  for (let s = 0; s < 10; s++) models.forEach((m, i) => m.update(T0 + s * STEP, inputOf(warm[i] as ClosedBucket)));
  const modelTimes: number[] = [];
  const modelCpu: number[] = [];
  for (let s = 0; s < steps; s++) {
    const input = buckets(ids, T0 + (10 + s) * STEP, random);
    const cpuBefore = cpuSeconds();
    const began = performance.now();
    models.forEach((m, i) => m.update(T0 + (10 + s) * STEP, inputOf(input[i] as ClosedBucket)));
    modelTimes.push((performance.now() - began) / 1000);
    modelCpu.push(cpuSeconds() - cpuBefore);
  }

  log('throughput: Redis store (starting a private redis-server on 127.0.0.1)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-bench-detect-'));
  const redisServer = await startRedisServer({ dir, appendonly: false });
  const redis = new Redis(redisServer.url);
  let redisTimes: StepTimes = { wall: [], cpu: [], server: [] };
  let redisBytesPerSeries = 0;
  try {
    const store = new RedisModelStateStore(redis, { prefix: 'bench:detect', shards: 64 });
    const before = usedMemory(await redis.info('memory'));
    for (let i = 0; i < seed.length; i += 10_000) await store.save(seed.slice(i, i + 10_000));
    redisBytesPerSeries = (usedMemory(await redis.info('memory')) - before) / seed.length;
    redisTimes = await timeSteps(store, ids, first, steps, random, async () => redisCpuSeconds(await redis.info('cpu')));
  } finally {
    await redis.quit();
    await redisServer.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const memorySeconds = median(memoryTimes.wall);
  const redisSeconds = median(redisTimes.wall);
  return {
    series: ids.length,
    memoryStoreSeconds: round(memorySeconds),
    redisStoreSeconds: round(redisSeconds),
    modelOnlySeconds: round(median(modelTimes)),
    memoryStoreCpuSeconds: round(median(memoryTimes.cpu)),
    redisStoreCpuSeconds: round(median(redisTimes.cpu)),
    redisServerCpuSeconds: round(median(redisTimes.server)),
    modelOnlyCpuSeconds: round(median(modelCpu)),
    memoryHeadroom: round(10 / memorySeconds),
    redisHeadroom: round(10 / redisSeconds),
    stateBytesValue: value.bytes.length,
    stateBytesHistogram: histogram.bytes.length,
    redisBytesPerSeries: Math.round(redisBytesPerSeries),
    steps: [...memoryTimes.wall, ...redisTimes.wall].map(round),
  };
}

function inputOf(bucket: ClosedBucket): number | Record<string, number> {
  return bucket.histogram === undefined ? (bucket.value as number) : { ...bucket.histogram };
}
