import { Partitioners } from 'kafkajs';
import type { Redis } from 'ioredis';
import { decoderFor } from '@ipscope/events';
import { compileCatalog, defaultCatalog } from '@ipscope/metrics';
import type { BatchAggregate } from '@ipscope/timeseries';
import { decodeBatchInto, type RawMessage } from '../../apps/server/src/ingest/batchDecoder';
import { catalogSampleMapper } from '../../apps/server/src/ingest/sampleMapper';
import { openStore } from '../../apps/server/src/storeSetup';
import { cpuSeconds } from '../shared/processCpu';
import { benchRecords } from './benchRecords';
import { median, round } from './stats';

/** Where a worker's CPU per event goes, stage by stage, measured in this process. */
export interface StagesResult {
  records: number;
  /** Partitions the records were keyed onto (as the benchmark topic: by originator, kafkajs's default partitioner). */
  partitions: number;
  /** Most events per window (one aggregate and one fenced write); null: a partition's events are one window. */
  windowEvents: number | null;
  /** Windows written per round. */
  windows: number;
  rounds: number;
  /** Median CPU microseconds per event of each stage (each round's figures in `samples`). */
  microsPerEvent: {
    /** UTF-8 decoding, `JSON.parse` and the Zeek conn decoder. */
    decode: number;
    /** The compiled default catalog turning each decoded event into its samples (no fold). */
    catalog: number;
    /** Folding the samples into one store aggregate per partition (`decodeBatchInto`, less decode and catalog). */
    fold: number;
    /** Node's side of `store.writeAggregate` of those aggregates: building the shard scripts' arguments, ioredis, replies. */
    writeNode: number;
    /** The private Redis running the write scripts. */
    writeRedis: number;
  };
  samples: Record<keyof StagesResult['microsPerEvent'], number[]>;
}

const PARTITIONS = 6;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * The worker's stages on the benchmark's records, in-process, each timed by this process's CPU
 * (and the private Redis's for the write): each partition's events are cut into windows of at most
 * `windowEvents` (default: the whole partition is one window, as in a 300 000-record run, where each
 * partition is caught up within one window), decoded, mapped and folded as the worker does, then
 * each window is written with its fence into a fresh key prefix. Rounds repeat
 * every stage in the same order and medians are reported. Kafka is not involved: this splits the
 * CPU the end-to-end runs measure, it does not replace them.
 */
export async function runStages(redis: Redis, redisPid: number, records: number, seed: number, spanSeconds: number, rounds: number, windowEvents: number | null, log: (line: string) => void): Promise<StagesResult> {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: PARTITIONS }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  const byPartition: RawMessage[][] = Array.from({ length: PARTITIONS }, () => []);
  for (const record of benchRecords(records, seed, spanSeconds)) {
    const key = record['id.orig_h'];
    const p = partitioner({ topic: 'bench', partitionMetadata, message: { key, value: null } });
    const messages = byPartition[p] as RawMessage[];
    messages.push({ offset: String(messages.length), value: Buffer.from(JSON.stringify(record)) });
  }
  // (partition, first offset, messages) of each window, in partition order
  const windows: { partition: number; from: number; messages: RawMessage[] }[] = [];
  byPartition.forEach((messages, partition) => {
    const size = windowEvents ?? Math.max(1, messages.length);
    for (let from = 0; from < messages.length; from += size) windows.push({ partition, from, messages: messages.slice(from, from + size) });
  });
  const decode = decoderFor('zeek');
  const catalog = compileCatalog(defaultCatalog);
  const samples: StagesResult['samples'] = { decode: [], catalog: [], fold: [], writeNode: [], writeRedis: [] };
  const perEvent = (ms: number) => round((ms * 1000) / records, 2);
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    let t = cpuMs();
    for (const messages of byPartition) for (const m of messages) if (decode(m.value as Buffer).ok) sink++;
    const decodeMs = cpuMs() - t;

    t = cpuMs();
    for (const messages of byPartition) {
      for (const m of messages) {
        const result = decode(m.value as Buffer);
        if (result.ok && result.kind === 'event') sink += catalog.emitByRole(result.event, () => undefined);
      }
    }
    const catalogMs = cpuMs() - t;

    const prefix = `bs${Date.now().toString(36)}${r}`;
    const { store } = openStore(redis, prefix);
    await store.open();
    const mapper = catalogSampleMapper(catalog);
    const aggregates: BatchAggregate[] = [];
    t = cpuMs();
    for (const w of windows) {
      const aggregate = store.aggregate();
      if (decodeBatchInto(w.messages, () => decode, mapper.fold as NonNullable<typeof mapper.fold>, aggregate) === null) throw new Error('stages: the store refused a sample of the benchmark records');
      aggregates.push(aggregate);
    }
    const foldMs = cpuMs() - t;

    const redisBefore = cpuSeconds([redisPid]);
    t = cpuMs();
    for (let i = 0; i < windows.length; i++) {
      const w = windows[i] as (typeof windows)[number];
      const written = await store.writeAggregate(aggregates[i] as BatchAggregate, { fence: { scope: `bench/${w.partition}`, from: w.from, token: w.from + w.messages.length - 1 } });
      if (!written.complete) throw new Error(`stages: a window of partition ${w.partition} was not written as one aggregate`);
    }
    const writeMs = cpuMs() - t;
    const redisMs = (cpuSeconds([redisPid]) - redisBefore) * 1000;
    await deletePrefix(redis, prefix);

    samples.decode.push(perEvent(decodeMs));
    samples.catalog.push(perEvent(catalogMs - decodeMs));
    samples.fold.push(perEvent(foldMs - catalogMs));
    samples.writeNode.push(perEvent(writeMs));
    samples.writeRedis.push(perEvent(redisMs));
    log(`stages round ${r + 1}/${rounds}: µs per event decode ${samples.decode.at(-1)}, catalog ${samples.catalog.at(-1)}, fold ${samples.fold.at(-1)}, write node ${samples.writeNode.at(-1)}, write redis ${samples.writeRedis.at(-1)}`);
  }
  if (sink === 0) throw new Error('stages: no event was decoded');
  return {
    records,
    partitions: PARTITIONS,
    windowEvents,
    windows: windows.length,
    rounds,
    microsPerEvent: {
      decode: median(samples.decode),
      catalog: median(samples.catalog),
      fold: median(samples.fold),
      writeNode: median(samples.writeNode),
      writeRedis: median(samples.writeRedis),
    },
    samples,
  };
}

/** Deletes a round's keys (the private Redis holds nothing else of value). */
async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}
