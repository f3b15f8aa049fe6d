import { Kafka, Partitioners, logLevel, type Admin, type Consumer, type EachBatchPayload, type Producer } from 'kafkajs';
import type { Decoder, NetEvent } from '@ipscope/events';
import type { AggregateFence, BatchAggregate, Sample } from '@ipscope/timeseries';
import type { Logger } from '../log';
import { decodeBatch, decodeBatchInto, FORMAT_HEADER, headerText, type DeadLetter, type RawMessage, type SampleMapper } from './batchDecoder';
import { sendDeadLetters } from './deadLetters';
import { fetchTopicOffsets } from '../kafka/topicOffsets';
import { backoffMs, sleep } from './backoff';
import type { IngestMetrics } from './ingestMetrics';
import { deadLetterTopic, type TopicSpec } from './topics';

/** What the worker needs of the store: a fenced batch write, and the fence to resume from. */
export interface FencedStore {
  bulkInsert(samples: Sample[], options: { fence: { scope: string; token: number } }): Promise<unknown>;
  /** Token of the last batch of `scope` applied completely, or undefined when none was. */
  fenceToken(scope: string): Promise<number | null>;
  /** A batch aggregate to fold samples into (the aggregate write path; optional). */
  aggregate?(): BatchAggregate;
  /** Writes an aggregate; `complete: false` when the batch must be written again by samples. */
  writeAggregate?(aggregate: BatchAggregate, options: { fence: AggregateFence }): Promise<{ complete: boolean }>;
}

/**
 * How a batch reaches the store: `aggregate` (default) folds each event's samples straight into
 * a store batch aggregate, `samples` builds one `Sample` per metric and event and calls
 * `bulkInsert` (the path the aggregate falls back to; kept for comparison in benchmarks).
 */
export type IngestWritePath = 'aggregate' | 'samples';

/** Emits 'close' when the Redis connection drops (ioredis Redis or Cluster). */
export interface ConnectionEvents {
  on(event: 'close', listener: () => void): unknown;
}

export interface IngestWorkerOptions {
  brokers: string[];
  topics: TopicSpec[];
  group: string;
  store: FencedStore;
  /** The store's Redis connection: after it drops, fences are read again before writing. */
  connection?: ConnectionEvents;
  decoderFor: (spec: TopicSpec) => Decoder;
  toSamples: SampleMapper;
  metrics: IngestMetrics;
  log: Logger;
  clientId?: string;
  /** Most bytes fetched per partition and batch (default 8 MiB); batches are written one at a time. */
  fetchBytes?: number;
  /** Events more than this far ahead of the wall clock are dead-lettered (default 1 day). */
  maxFutureSeconds?: number;
  /** Default `aggregate` when the store and mapper support it. */
  writePath?: IngestWritePath;
  /** Partitions whose batches are handled at the same time (default 2). */
  concurrentPartitions?: number;
}

export interface IngestWorker {
  /** Finishes the batch in flight, commits it, and leaves the group. */
  stop(): Promise<void>;
  /** True while the broker answers (for /healthz). */
  healthy(): Promise<boolean>;
  consumer: Consumer;
}

interface PartitionState {
  /** Offset of the last message the store holds for certain; -1 when none. */
  applied: number;
  /** False until the fence has been read from Redis (after assignment or a dropped connection). */
  verified: boolean;
}

function isRetriable(error: unknown): boolean {
  if (typeof error === 'object' && error !== null && 'retriable' in error) return Boolean((error as { retriable: unknown }).retriable);
  // ioredis connection errors (ECONNREFUSED, "Connection is closed", MaxRetriesPerRequest) carry no flag.
  return true;
}

/**
 * A Kafka consumer-group member that turns topic partitions into store writes,
 * effectively once:
 *
 * - each partition batch is decoded, mapped to samples and written in one fenced store
 *   write (scope `topic/partition`, every sample carrying its message offset), then the
 *   offset is committed to Kafka;
 * - the fence in Redis, not Kafka's committed offset, says where to resume: after a
 *   rebalance or a dropped Redis connection the worker reads it and seeks back when Redis
 *   holds less than Kafka thinks (Redis restarted having lost its last second), so the gap
 *   is refilled from Kafka; messages the store already holds are skipped;
 * - undecodable messages go to `<topic>.dlq` with their reason and never stop the partition;
 * - while Redis is down or failing, the partition is paused and the write retried with
 *   backoff until it succeeds; nothing is skipped and nothing counted twice.
 */
export async function startIngestWorker(options: IngestWorkerOptions): Promise<IngestWorker> {
  const { log, metrics, store } = options;
  const kafka = new Kafka({
    clientId: options.clientId ?? 'ipscope-ingest',
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    retry: { retries: 20, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
  const consumer = kafka.consumer({
    groupId: options.group,
    maxBytesPerPartition: options.fetchBytes ?? 8 * 1024 * 1024,
    maxBytes: Math.max(4 * (options.fetchBytes ?? 8 * 1024 * 1024), 1024 * 1024),
    sessionTimeout: 30_000,
    heartbeatInterval: 3000,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
  });
  const admin: Admin = kafka.admin();
  const specs = new Map(options.topics.map((t) => [t.topic, t]));
  const decoders = new Map<string, Decoder>();
  const partitions = new Map<string, PartitionState>();
  const maxFuture = options.maxFutureSeconds ?? 86_400;
  const emit = options.toSamples.emit;
  const aggregated = options.writePath !== 'samples' && emit !== undefined && store.aggregate !== undefined && store.writeAggregate !== undefined;

  const invalidate = () => {
    for (const state of partitions.values()) state.verified = false;
  };
  options.connection?.on('close', invalidate);
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    invalidate();
    log.info('joined consumer group', { group: options.group, assignment: event.payload.memberAssignment });
  });

  const accept = (event: NetEvent): string | undefined =>
    event.ts > Date.now() / 1000 + maxFuture ? `ts ${event.ts} is more than ${maxFuture} s in the future` : undefined;

  await Promise.all([consumer.connect(), producer.connect(), admin.connect()]);
  await ensureTopics(admin, options.topics, log);
  for (const spec of options.topics) await consumer.subscribe({ topic: spec.topic, fromBeginning: true });

  const readFence = async (scope: string, isRunning: () => boolean, heartbeat: () => Promise<void>): Promise<number | null> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await store.fenceToken(scope);
      } catch (error) {
        if (!isRunning()) throw error;
        log.warn('reading the fence failed; retrying', { scope, attempt, error });
        await sleep(backoffMs(attempt));
        await heartbeat();
      }
    }
  };

  const tick = setInterval(() => metrics.tick(), 1000);
  tick.unref();

  // Graceful stop: no new batch starts once stopping, and stop() waits for the one in flight
  // (its write and its commit) before leaving the group.
  let stopping = false;
  const inFlight = new Set<Promise<void>>();

  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    // Two partitions at a time: one batch is decoded while another one's write runs in Redis.
    // Each partition's batches still run one after another, in offset order.
    partitionsConsumedConcurrently: options.concurrentPartitions ?? 2,
    eachBatch: async (payload) => {
      if (stopping) return;
      const handling = handleBatch(payload);
      inFlight.add(handling);
      try {
        await handling;
      } finally {
        inFlight.delete(handling);
      }
    },
  });

  async function handleBatch({ batch, heartbeat, isRunning: consumerRunning, isStale, pause, resolveOffset }: EachBatchPayload): Promise<void> {
    const isRunning = () => consumerRunning() && !stopping;
    const { topic, partition } = batch;
    const scope = `${topic}/${partition}`;
    const context = { topic, partition };
    if (batch.messages.length === 0) return;
    let state = partitions.get(scope);
    if (!state) partitions.set(scope, (state = { applied: -1, verified: false }));

    const first = Number(batch.firstOffset());
    const last = Number(batch.lastOffset());
    if (!state.verified) {
      const fence = await readFence(scope, isRunning, heartbeat);
      state.applied = fence ?? -1;
      state.verified = true;
      if (state.applied + 1 < first) {
        // Redis holds less than Kafka's committed offset says: go back and refill.
        const low = await lowWatermark(admin, topic, partition);
        const target = Math.max(state.applied + 1, low);
        if (target < first) {
          log.warn('store is behind the committed offset; seeking back to refill', { ...context, fence: fence ?? null, from: target, committed: first });
          consumer.seek({ topic, partition, offset: String(target) });
          return;
        }
      }
    }

    const fresh: RawMessage[] = [];
    let replayed = 0;
    for (const m of batch.messages) {
      if (Number(m.offset) > state.applied) fresh.push(m);
      else replayed++;
    }
    if (replayed > 0) metrics.replaySkipped.inc({ topic }, replayed);

    if (fresh.length > 0) {
      const topicFormat = specs.get(topic)?.format ?? 'zeek';
      const decoderOf = (message: RawMessage): Decoder => {
        const format = headerText(message, FORMAT_HEADER) ?? topicFormat;
        const key = `${scope}|${format}`;
        let decoder = decoders.get(key);
        if (!decoder) {
          try {
            decoder = options.decoderFor({ topic, format });
          } catch {
            decoder = unknownFormat(format);
          }
          decoders.set(key, decoder);
        }
        return decoder;
      };
      // Dead letters are sent before the write: once the fence moves past them they are never read again.
      const deadLetter = async (letters: readonly DeadLetter[]) => {
        if (letters.length === 0) return;
        await sendDeadLetters(producer, topic, partition, letters);
        metrics.deadLettered.inc({ topic }, letters.length);
        for (const l of letters) metrics.decodeErrors.inc({ topic, reason: l.reason });
        log.warn('dead-lettered messages', { ...context, count: letters.length, to: deadLetterTopic(topic), reasons: [...new Set(letters.map((l) => l.reason))] });
      };
      /**
       * After a failed write: give up the batch ('abandon': stopping, stale, or the store is
       * behind and the partition was sought back) or wait and try again ('retry').
       */
      const st = state;
      let resume: (() => void) | undefined;
      const recover = async (attempt: number, error: unknown): Promise<'retry' | 'abandon'> => {
        if (!isRunning() || isStale()) return 'abandon';
        if (!resume) resume = pause();
        metrics.storeRetries.inc({ topic });
        log.warn('store write failed; partition paused, retrying', { ...context, attempt, error });
        st.verified = false;
        await sleep(backoffMs(attempt));
        await heartbeat();
        if (!st.verified) {
          // The fence may have moved (a partial write before the failure, or Redis lost data).
          const fence = await readFence(scope, isRunning, heartbeat);
          st.verified = true;
          if ((fence ?? -1) + 1 < first) {
            resume();
            consumer.seek({ topic, partition, offset: String(Math.max((fence ?? -1) + 1, await lowWatermark(admin, topic, partition))) });
            st.applied = fence ?? -1;
            return 'abandon';
          }
        }
        return 'retry';
      };

      // The aggregate path; null when the batch needs the samples path (a sample refused, or a
      // store shard already holding part of the batch after an earlier crash).
      let lettersSent = false;
      const writeFolded = async (): Promise<number | null | 'abandon'> => {
        const aggregate = store.aggregate!();
        const folded = decodeBatchInto(fresh, decoderOf, emit!, aggregate, accept);
        if (folded === null) return null;
        for (const [reason, n] of folded.skipped) metrics.skipped.inc({ topic, reason }, n);
        await deadLetter(folded.deadLetters);
        lettersSent = true;
        const fence = { scope, token: last, from: Number(fresh[0]!.offset) };
        for (let attempt = 0; ; attempt++) {
          const started = process.hrtime.bigint();
          try {
            const written = await store.writeAggregate!(aggregate, { fence });
            metrics.storeWriteSeconds.observe({ topic }, Number(process.hrtime.bigint() - started) / 1e9);
            return written.complete ? folded.events : null;
          } catch (error) {
            if (!isRetriable(error)) return null;
            if ((await recover(attempt, error)) === 'abandon') return 'abandon';
          }
        }
      };

      const writeSamples = async (): Promise<number | 'abandon'> => {
        const decoded = decodeBatch(fresh, decoderOf, options.toSamples, accept);
        if (!lettersSent) {
          // (after the aggregate path fell back, the same skips and letters were already counted and sent)
          for (const [reason, n] of decoded.skipped) metrics.skipped.inc({ topic, reason }, n);
          await deadLetter(decoded.deadLetters);
        }
        let samples = decoded.samples;
        let origins = decoded.origins;
        for (let attempt = 0; ; attempt++) {
          const started = process.hrtime.bigint();
          try {
            await store.bulkInsert(samples, { fence: { scope, token: last } });
            metrics.storeWriteSeconds.observe({ topic }, Number(process.hrtime.bigint() - started) / 1e9);
            return decoded.events;
          } catch (error) {
            const index = (error as { index?: unknown }).index;
            if (!isRetriable(error) && typeof index === 'number' && origins[index] !== undefined) {
              // One sample the store refuses: dead-letter its message, write the rest.
              const origin = origins[index]!;
              const bad = fresh[origin]!;
              await deadLetter([{ offset: bad.offset, value: bad.value, reason: 'bad_value', message: (error as Error).message }]);
              const keep = origins.map((o) => o !== origin);
              samples = samples.filter((_, i) => keep[i]);
              origins = origins.filter((_, i) => keep[i]);
              continue;
            }
            if ((await recover(attempt, error)) === 'abandon') return 'abandon';
          }
        }
      };

      let events = aggregated ? await writeFolded() : null;
      if (events === null) events = await writeSamples();
      if (events === 'abandon') return;
      resume?.();
      metrics.eventsWritten(topic, events);
    }

    state.applied = last;
    resolveOffset(String(last));
    await consumer.commitOffsets([{ topic, partition, offset: String(last + 1) }]);
    metrics.consumerLag.set({ topic, partition: String(partition) }, Number(batch.offsetLag()));
    await heartbeat();
  }

  return {
    consumer,
    healthy: async () => {
      try {
        await admin.describeCluster();
        return true;
      } catch {
        return false;
      }
    },
    stop: async () => {
      stopping = true;
      clearInterval(tick);
      await Promise.all([...inFlight].map((p) => p.catch(() => undefined)));
      await consumer.disconnect();
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
    },
  };
}

/** A decoder that refuses every message: its `ipscope-format` header names no known format. */
function unknownFormat(format: string): Decoder {
  return () => ({ ok: false, kind: 'error', error: { reason: 'bad_value', message: `unknown ipscope-format header "${format.slice(0, 40)}"`, format: 'generic', field: 'ipscope-format' } });
}

async function lowWatermark(admin: Admin, topic: string, partition: number): Promise<number> {
  const offsets = await fetchTopicOffsets(admin, topic);
  return Number(offsets.find((o) => o.partition === partition)?.low ?? 0);
}

/**
 * Creates what is missing before subscribing: a consumed topic that does not exist yet
 * (6 partitions, the broker's replication factor) and each topic's dead-letter topic.
 */
async function ensureTopics(admin: Admin, topics: readonly TopicSpec[], log: Logger): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted = [
    ...topics.map((t) => ({ topic: t.topic, numPartitions: 6 })),
    ...topics.map((t) => ({ topic: deadLetterTopic(t.topic), numPartitions: 1 })),
  ].filter((t) => !existing.has(t.topic));
  if (wanted.length === 0) return;
  log.info('creating missing topics', { topics: wanted.map((t) => t.topic) });
  try {
    await admin.createTopics({ topics: wanted.map((t) => ({ ...t, replicationFactor: -1 })), waitForLeaders: true });
  } catch (error) {
    // Another worker may have created them at the same moment.
    const now = new Set(await admin.listTopics());
    const still = wanted.filter((t) => !now.has(t.topic)).map((t) => t.topic);
    if (still.length > 0) throw new Error(`could not create Kafka topics ${still.join(', ')}: ${(error as Error).message}`);
  }
}
