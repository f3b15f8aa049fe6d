import { Kafka, Partitioners, logLevel, type Admin, type Consumer, type EachBatchPayload, type Producer } from 'kafkajs';
import type { Decoder, NetEvent } from '@ipscope/events';
import { isProgramError, type AggregateFence, type BatchAggregate, type Sample } from '@ipscope/timeseries';
import type { Logger } from '../log';
import { decodeBatch, decodeBatchInto, folderOf, FORMAT_HEADER, hasHeaders, headerText, type DeadLetter, type RawMessage, type SampleMapper } from './batchDecoder';
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
  /** Most bytes fetched per partition and batch (default 8 MiB). */
  fetchBytes?: number;
  /** Events more than this far ahead of the wall clock are dead-lettered (default 1 day). */
  maxFutureSeconds?: number;
  /** Default `aggregate` when the store and mapper support it. */
  writePath?: IngestWritePath;
  /** Partitions whose batches are handled at the same time (default 2). */
  concurrentPartitions?: number;
  /**
   * A partition's window (fetched batches folded into one aggregate, written in one fenced write)
   * is written once its messages hold this many bytes (default 8 × `fetchBytes`: 64 MiB, about
   * 170 000 Zeek conn records) ...
   */
  windowBytes?: number;
  /**
   * ... or is this old, in milliseconds (default 30 000), or its partition is caught up (no lag
   * after the last batch), whichever comes first. A caught-up partition's window is written at once,
   * so the age limit only matters while a partition has a backlog (catching up, a backfill).
   * Aggregate path only; `samples` writes each batch.
   */
  windowMs?: number;
  /**
   * Called once when a write fails in a way no retry can fix and no single message is to blame
   * (a bug in the code, or a refusal of the whole batch such as another stored layout). The worker
   * has then stopped taking batches; nothing of the failed batch was committed, so a fixed worker
   * resumes from it. Default: only the error log.
   */
  onFatal?: (error: unknown) => void;
}

export interface IngestWorker {
  /** Finishes the batch in flight, commits it, and leaves the group. */
  stop(): Promise<void>;
  /** True while the broker answers (for /healthz). */
  healthy(): Promise<boolean>;
  consumer: Consumer;
}

/**
 * Events of one partition folded into one aggregate before it is written: several fetched
 * batches share a write, so each (metric, IP, bucket) is written once for many more events.
 */
interface Window {
  aggregate: BatchAggregate;
  /** Offset of the first message folded. */
  from: number;
  /** Bytes of the messages folded. */
  bytes: number;
  /** Last offset the window covers (the last batch's last offset). */
  last: number;
  events: number;
  openedAt: number;
  /** Messages behind the high watermark after the last batch (for the lag gauge). */
  lag: number;
}

interface PartitionState {
  topic: string;
  partition: number;
  scope: string;
  /** Offset of the last message the store holds for certain; -1 when none. */
  applied: number;
  /** False until the fence has been read from Redis (after assignment or a dropped connection). */
  verified: boolean;
  /** Last offset folded into a window or written: messages at or below it are not folded again. */
  taken: number;
  /** The window being filled, if any. */
  window: Window | undefined;
  /** The write (and commit) of the last closed window while it runs: one at a time per partition. */
  writing: Promise<void> | undefined;
  /** True while a batch of the partition is being handled (the flush timer then leaves it alone). */
  busy: boolean;
  /** Bumped whenever open work is dropped (rebalance, seek back): work of an older epoch stops. */
  epoch: number;
  /**
   * Batches up to this offset go the per-sample way (-1: none): a window the store could not take
   * as one aggregate is fetched again and written batch by batch.
   */
  samplesUntil: number;
  /** Dead letters (and skips) of messages up to this offset were sent and counted already. */
  lettersUpTo: number;
}

function isRetriable(error: unknown): boolean {
  if (isProgramError(error)) return false;
  if (typeof error === 'object' && error !== null && 'retriable' in error) return Boolean((error as { retriable: unknown }).retriable);
  // ioredis connection errors (ECONNREFUSED, "Connection is closed", MaxRetriesPerRequest) carry no flag.
  return true;
}

/**
 * A Kafka consumer-group member that turns topic partitions into store writes,
 * effectively once:
 *
 * - fetched batches of a partition are decoded and folded into one aggregate (a window) until
 *   it holds `windowBytes` of messages, is `windowMs` old or the partition is caught up; the window
 *   is then written in one fenced store write (scope `topic/partition`, the offsets it covers)
 *   while the next window fills, and its last offset is committed to Kafka after the write;
 * - the fence in Redis, not Kafka's committed offset, says where to resume: after a
 *   rebalance, a dropped Redis connection, or a write the store refused because a fence went
 *   back (`StoreBehindError`: a write in flight across the restart) the worker reads it and seeks
 *   back when Redis holds less than Kafka thinks (Redis restarted having lost its last second), so
 *   the gap is refilled from Kafka; messages the store already holds are skipped;
 * - undecodable messages go to `<topic>.dlq` with their reason before the write that covers
 *   them, and never stop the partition;
 * - while Redis is down or failing, the write is retried with backoff until it succeeds (the
 *   partition stops once its next window is full); nothing is skipped and nothing counted twice.
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
  // Measured with bench:ingest (docs/BENCHMARKS.md, Ingest, Sessions 4 and 8): the larger a window,
  // the fewer (IP, metric, bucket) writes per event. 8 fetches and 10 s took a quarter less Redis CPU
  // per event than 3 fetches and 2 s. At 40 000 events/s over 6 partitions a 10 s window holds about
  // 67 000 events; on the 1 h traffic (`bench:ingest --stages`) windows of 67 000 events cost Node 5.7
  // and Redis 9.6 µs per event to write, whole 167 000-event partitions 3.7 and 5.1: with 30 s the
  // 64 MiB limit (~170 000 events) closes a backlogged partition's windows on a quiet machine.
  const windowBytes = options.windowBytes ?? 8 * (options.fetchBytes ?? 8 * 1024 * 1024);
  const windowMs = options.windowMs ?? 30_000;
  if (!Number.isSafeInteger(windowBytes) || windowBytes < 1) throw new Error(`ingest worker: windowBytes must be a whole number of at least 1 (e.g. 67108864), got ${windowBytes}`);
  if (!Number.isFinite(windowMs) || windowMs < 0) throw new Error(`ingest worker: windowMs must be a number of milliseconds of at least 0 (e.g. 30000), got ${windowMs}`);
  const emit = options.toSamples.emit;
  const folder = options.toSamples.fold ?? (emit === undefined ? undefined : folderOf(emit));
  const aggregated = options.writePath !== 'samples' && folder !== undefined && store.aggregate !== undefined && store.writeAggregate !== undefined;

  /** Drops the partition's open window: its messages are fetched again (after a seek or a rebalance). */
  const dropWindow = (state: PartitionState) => {
    state.window = undefined;
    state.epoch++;
  };
  const invalidate = () => {
    for (const state of partitions.values()) state.verified = false;
  };
  options.connection?.on('close', invalidate);
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    // After a rebalance Kafka resumes every partition from its committed offset: open windows
    // (not yet written, not committed) are fetched again, whoever owns the partition now.
    for (const state of partitions.values()) {
      dropWindow(state);
      state.verified = false;
    }
    log.info('joined consumer group', { group: options.group, assignment: event.payload.memberAssignment });
  });

  const accept = (event: NetEvent): string | undefined =>
    event.ts > Date.now() / 1000 + maxFuture ? `ts ${event.ts} is more than ${maxFuture} s in the future` : undefined;

  await Promise.all([consumer.connect(), producer.connect(), admin.connect()]);
  await ensureTopics(admin, options.topics, log);
  for (const spec of options.topics) await consumer.subscribe({ topic: spec.topic, fromBeginning: true });

  const noHeartbeat = async () => undefined;
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
  // and for every window's write and commit before leaving the group.
  let stopping = false;
  const inFlight = new Set<Promise<void>>();

  /** Stops taking batches after a write no retry can fix (`onFatal`); reported once. */
  let failed = false;
  const fail = (state: PartitionState, error: unknown) => {
    stopping = true;
    if (failed) return;
    failed = true;
    log.error('a store write failed in a way no retry can fix; the worker stops taking batches (nothing of the batch was committed)', { topic: state.topic, partition: state.partition, error });
    options.onFatal?.(error);
  };

  const decoderOf = (scope: string, topic: string, message: RawMessage): Decoder => {
    const header = hasHeaders(message) ? headerText(message, FORMAT_HEADER) : undefined;
    const format = header ?? specs.get(topic)?.format ?? 'zeek';
    // One decoder per partition and format (a Zeek TSV decoder keeps its header); most messages
    // name no format, so theirs is found by the scope alone.
    const key = header === undefined || header === specs.get(topic)?.format ? scope : `${scope}|${header}`;
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
  const deadLetter = async (topic: string, partition: number, letters: readonly DeadLetter[]) => {
    if (letters.length === 0) return;
    await sendDeadLetters(producer, topic, partition, letters);
    metrics.deadLettered.inc({ topic }, letters.length);
    for (const l of letters) metrics.decodeErrors.inc({ topic, reason: l.reason });
    log.warn('dead-lettered messages', { topic, partition, count: letters.length, to: deadLetterTopic(topic), reasons: [...new Set(letters.map((l) => l.reason))] });
  };

  const stateOf = (topic: string, partition: number): PartitionState => {
    const scope = `${topic}/${partition}`;
    let state = partitions.get(scope);
    if (!state) {
      state = { topic, partition, scope, applied: -1, verified: false, taken: -1, window: undefined, writing: undefined, busy: false, epoch: 0, samplesUntil: -1, lettersUpTo: -1 };
      partitions.set(scope, state);
    }
    return state;
  };

  /** Waits for the partition's write in flight, heartbeating while it retries. */
  const settle = async (state: PartitionState, heartbeat: () => Promise<void>): Promise<void> => {
    while (state.writing) {
      const writing = state.writing;
      let waited = false;
      await Promise.race([writing.then(() => (waited = true)), sleep(1000)]);
      if (!waited) await heartbeat();
    }
  };

  /**
   * Reads the fence before writing offsets from `from` on: 'abandon' when stopping, work of an
   * older epoch, or the store holds less than the offsets before `from` (Redis lost its last writes:
   * the partition is sought back to refill the gap, and what is open is dropped).
   */
  const checkStore = async (state: PartitionState, from: number, epoch: number, heartbeat: () => Promise<void>): Promise<'ok' | 'abandon'> => {
    const isRunning = () => !stopping && state.epoch === epoch;
    let fence: number | null;
    try {
      fence = await readFence(state.scope, isRunning, heartbeat);
    } catch {
      return 'abandon';
    }
    if (!isRunning()) return 'abandon';
    if ((fence ?? -1) + 1 < from) {
      const target = Math.max((fence ?? -1) + 1, await lowWatermark(admin, state.topic, state.partition));
      if (!isRunning()) return 'abandon';
      if (target < from) {
        dropWindow(state);
        state.applied = fence ?? -1;
        state.taken = target - 1;
        state.verified = true;
        log.warn('store is behind the committed offset; seeking back to refill', { topic: state.topic, partition: state.partition, fence, from: target, writing: from });
        consumer.seek({ topic: state.topic, partition: state.partition, offset: String(target) });
        return 'abandon';
      }
    }
    state.verified = true;
    return 'ok';
  };

  /**
   * After a failed write: give up ('abandon': stopping, a newer epoch, or the store is behind
   * the batch and the partition was sought back to refill) or wait and try again ('retry').
   */
  const recover = async (state: PartitionState, from: number, epoch: number, attempt: number, error: unknown, heartbeat: () => Promise<void>): Promise<'retry' | 'abandon'> => {
    if (stopping || state.epoch !== epoch) return 'abandon';
    metrics.storeRetries.inc({ topic: state.topic });
    log.warn('store write failed; retrying', { topic: state.topic, partition: state.partition, attempt, error });
    await sleep(backoffMs(attempt));
    await heartbeat();
    if (stopping || state.epoch !== epoch) return 'abandon';
    // The fence may have moved (a partial write before the failure), or Redis may have lost data.
    return (await checkStore(state, from, epoch, heartbeat)) === 'ok' ? 'retry' : 'abandon';
  };

  /**
   * Writes `messages` one `Sample` per metric and event through `bulkInsert` (every sample with its
   * message's offset as fence token, so a store shard holding part of them takes exactly the rest).
   * Dead letters and skips of messages up to `state.lettersUpTo` were already sent and counted.
   */
  const writeSamples = async (
    state: PartitionState,
    messages: readonly RawMessage[],
    last: number,
    epoch: number,
    heartbeat: () => Promise<void>,
  ): Promise<number | 'abandon'> => {
    const { topic, partition, scope } = state;
    const decode = (list: readonly RawMessage[]) => decodeBatch(list, (m) => decoderOf(scope, topic, m), options.toSamples, accept);
    const decoded = decode(messages);
    const lettersFrom = state.lettersUpTo + 1;
    const counted = messages.length > 0 && Number(messages[0]!.offset) >= lettersFrom ? decoded : decode(messages.filter((m) => Number(m.offset) >= lettersFrom));
    for (const [reason, n] of counted.skipped) metrics.skipped.inc({ topic, reason }, n);
    await deadLetter(topic, partition, decoded.deadLetters.filter((l) => Number(l.offset) >= lettersFrom));
    state.lettersUpTo = Math.max(state.lettersUpTo, last);
    let samples = decoded.samples;
    let origins = decoded.origins;
    const from = messages.length > 0 ? Number(messages[0]!.offset) : last;
    for (let attempt = 0; ; attempt++) {
      if (stopping || state.epoch !== epoch) return 'abandon';
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
          const bad = messages[origin]!;
          await deadLetter(topic, partition, [{ offset: bad.offset, value: bad.value, reason: 'bad_value', message: (error as Error).message }]);
          const keep = origins.map((o) => o !== origin);
          samples = samples.filter((_, i) => keep[i]);
          origins = origins.filter((_, i) => keep[i]);
          continue;
        }
        if (!isRetriable(error)) {
          fail(state, error);
          return 'abandon';
        }
        if ((await recover(state, from, epoch, attempt, error, heartbeat)) === 'abandon') return 'abandon';
      }
    }
  };

  /** Marks `last` applied and commits it (the store already holds it: a failed commit only costs a replay). */
  const applied = async (state: PartitionState, last: number, events: number, lag: number) => {
    state.applied = Math.max(state.applied, last);
    metrics.eventsWritten(state.topic, events);
    metrics.consumerLag.set({ topic: state.topic, partition: String(state.partition) }, lag);
    try {
      await consumer.commitOffsets([{ topic: state.topic, partition: state.partition, offset: String(last + 1) }]);
    } catch (error) {
      log.warn('committing the offset failed; the store holds the batch, so a restart skips it', { topic: state.topic, partition: state.partition, offset: last + 1, error });
    }
  };

  /**
   * The store cannot take a window as one aggregate (a shard holds part of it after a writer
   * stopped between shards, or it refused a value): drop what is open, fetch the window's
   * messages again and write them batch by batch, with per-sample tokens.
   */
  const fallBack = (state: PartitionState, from: number, last: number) => {
    dropWindow(state);
    state.samplesUntil = last;
    state.taken = from - 1;
    log.info('writing a window again sample by sample', { topic: state.topic, partition: state.partition, from, last });
    consumer.seek({ topic: state.topic, partition: state.partition, offset: String(from) });
  };

  /** Writes a closed window: one aggregate write, or the per-sample path when the store asks for it. */
  const writeWindow = async (state: PartitionState, w: Window, epoch: number): Promise<void> => {
    const { topic, scope } = state;
    const fence = { scope, token: w.last, from: w.from };
    let complete = false;
    for (let attempt = 0; ; attempt++) {
      if (state.epoch !== epoch || (stopping && attempt > 0)) return;
      // After a dropped Redis connection, check what the store holds before writing after it:
      // Redis may have come back without its last writes, and a window written over that gap
      // would move the fence past offsets the store never received.
      if (!state.verified && (await checkStore(state, w.from, epoch, noHeartbeat)) === 'abandon') return;
      const started = process.hrtime.bigint();
      try {
        const written = await store.writeAggregate!(w.aggregate, { fence });
        metrics.storeWriteSeconds.observe({ topic }, Number(process.hrtime.bigint() - started) / 1e9);
        complete = written.complete;
        break;
      } catch (error) {
        if (!isRetriable(error)) break;
        if ((await recover(state, w.from, epoch, attempt, error, noHeartbeat)) === 'abandon') return;
      }
    }
    if (!complete) {
      if (state.epoch === epoch && !stopping) fallBack(state, w.from, w.last);
      return;
    }
    await applied(state, w.last, w.events, w.lag);
  };

  /** Closes the partition's window and starts its write (after the write in flight, if any). */
  const flush = (state: PartitionState) => {
    const w = state.window;
    if (!w) return;
    state.window = undefined;
    const epoch = state.epoch;
    const previous = state.writing;
    const writing: Promise<void> = (async () => {
      if (previous) await previous;
      await writeWindow(state, w, epoch);
    })()
      .catch((error: unknown) => log.error('writing a window failed', { topic: state.topic, partition: state.partition, error }))
      .finally(() => {
        if (state.writing === writing) state.writing = undefined;
      });
    state.writing = writing;
  };

  // A window that stops growing (its partition has no new batch) is written once it is old enough.
  const flushTimer = setInterval(() => {
    const now = Date.now();
    for (const state of partitions.values()) {
      if (state.window && !state.busy && !state.writing && now - state.window.openedAt >= windowMs) flush(state);
    }
  }, Math.max(50, Math.min(windowMs, 500)));
  flushTimer.unref();

  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    // Two partitions at a time: one batch is decoded while another one's write runs in Redis.
    // Each partition's batches still run one after another, in offset order.
    partitionsConsumedConcurrently: options.concurrentPartitions ?? 2,
    eachBatch: async (payload) => {
      if (stopping) return;
      const handling = aggregated ? handleWindowed(payload) : handleBatch(payload);
      inFlight.add(handling);
      try {
        await handling;
      } finally {
        inFlight.delete(handling);
      }
    },
  });

  /**
   * Reads the partition's fence when it is not verified; seeks back and returns false when the
   * store holds less than the next offset to fold (Redis lost its last writes).
   */
  async function verify(state: PartitionState, first: number, isRunning: () => boolean, heartbeat: () => Promise<void>): Promise<boolean> {
    if (state.verified) return true;
    await settle(state, heartbeat);
    const epoch = state.epoch;
    const fence = await readFence(state.scope, isRunning, heartbeat);
    if (state.epoch !== epoch) return false;
    state.applied = fence ?? -1;
    state.verified = true;
    const w = state.window;
    if (w && state.applied + 1 === w.from) {
      // (a dropped connection while a window filled: the store holds everything before it)
      state.taken = w.last;
      return true;
    }
    // An open window the store does not continue exactly is dropped and fetched again.
    if (w) dropWindow(state);
    state.taken = state.applied;
    if (state.applied + 1 < first) {
      // Redis holds less than Kafka's committed offset (or the window) says: go back and refill.
      const target = Math.max(state.applied + 1, await lowWatermark(admin, state.topic, state.partition));
      if (target < first) {
        log.warn('store is behind the committed offset; seeking back to refill', { topic: state.topic, partition: state.partition, fence: fence ?? null, from: target, committed: first });
        dropWindow(state);
        state.taken = target - 1;
        consumer.seek({ topic: state.topic, partition: state.partition, offset: String(target) });
        return false;
      }
    }
    return true;
  }

  async function handleWindowed(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning: consumerRunning, isStale, resolveOffset } = payload;
    const isRunning = () => consumerRunning() && !stopping;
    const { topic, partition } = batch;
    if (batch.messages.length === 0 || isStale()) return;
    const state = stateOf(topic, partition);
    state.busy = true;
    try {
      const first = Number(batch.firstOffset());
      const last = Number(batch.lastOffset());
      if (!(await verify(state, first, isRunning, heartbeat))) return;
      const epoch = state.epoch;
      if (first <= state.samplesUntil) {
        // (a window being written again sample by sample, batch by batch)
        await settle(state, heartbeat);
        if (state.epoch === epoch) await writeBatchSamples(payload, state, epoch);
        return;
      }

      const fresh = freshMessages(batch.messages, state.taken, topic);

      if (fresh.length === 0 && !state.window) {
        // Everything here is held already: move the committed offset past it.
        resolveOffset(String(last));
        if (!state.writing && last > state.applied) {
          state.applied = last;
          state.taken = last;
          await consumer.commitOffsets([{ topic, partition, offset: String(last + 1) }]);
        }
        await heartbeat();
        return;
      }

      if (fresh.length > 0) {
        const w = (state.window ??= {
          aggregate: store.aggregate!(),
          from: Number(fresh[0]!.offset),
          bytes: 0,
          last,
          events: 0,
          openedAt: Date.now(),
          lag: 0,
        });
        const folded = decodeBatchInto(fresh, (m) => decoderOf(state.scope, topic, m), folder!, w.aggregate, accept);
        if (folded === null) {
          // The store refused a sample: the aggregate holds part of an event. The window is
          // written again sample by sample, which dead-letters exactly the refused message.
          await settle(state, heartbeat);
          if (state.epoch === epoch) fallBack(state, w.from, last);
          return;
        }
        for (const m of fresh) w.bytes += m.value === null ? 0 : m.value.length;
        w.last = last;
        state.taken = last;
        w.events += folded.events;
        if (last > state.lettersUpTo) {
          for (const [reason, n] of folded.skipped) metrics.skipped.inc({ topic, reason }, n);
          await deadLetter(topic, partition, folded.deadLetters.filter((l) => Number(l.offset) > state.lettersUpTo));
          state.lettersUpTo = last;
        }
        if (state.epoch !== epoch) return;
      }
      const w = state.window!;
      w.last = last;
      w.lag = Number(batch.offsetLag());
      resolveOffset(String(last));
      if (w.bytes >= windowBytes || Date.now() - w.openedAt >= windowMs || w.lag <= 0 || stopping) {
        // One write in flight per partition: the next window fills while it runs.
        await settle(state, heartbeat);
        if (state.epoch !== epoch) return;
        if (state.window === w) flush(state);
      }
      await heartbeat();
    } finally {
      state.busy = false;
    }
  }

  /** The per-sample path (`writePath: 'samples'`): each batch decoded, written and committed on its own. */
  async function handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning: consumerRunning } = payload;
    const isRunning = () => consumerRunning() && !stopping;
    if (batch.messages.length === 0) return;
    const state = stateOf(batch.topic, batch.partition);
    if (!(await verify(state, Number(batch.firstOffset()), isRunning, heartbeat))) return;
    await writeBatchSamples(payload, state, state.epoch);
  }

  /** The messages after offset `taken` (the ones before it are held already); counts the others as replayed. */
  function freshMessages(messages: readonly RawMessage[], taken: number, topic: string): RawMessage[] {
    const fresh: RawMessage[] = [];
    for (const m of messages) if (Number(m.offset) > taken) fresh.push(m);
    if (fresh.length < messages.length) metrics.replaySkipped.inc({ topic }, messages.length - fresh.length);
    return fresh;
  }

  /** Writes one batch sample by sample (fence token per message) and commits it. */
  async function writeBatchSamples({ batch, heartbeat, pause, resolveOffset }: EachBatchPayload, state: PartitionState, epoch: number): Promise<void> {
    const { topic } = batch;
    const last = Number(batch.lastOffset());
    const fresh = freshMessages(batch.messages, state.taken, topic);

    let events = 0;
    if (fresh.length > 0) {
      let resume: (() => void) | undefined;
      const pausing = async () => {
        resume ??= pause();
        await heartbeat();
      };
      const written = await writeSamples(state, fresh, last, epoch, pausing);
      resume?.();
      if (written === 'abandon') return;
      events = written;
    }
    state.taken = last;
    if (last >= state.samplesUntil) state.samplesUntil = -1;
    resolveOffset(String(last));
    await applied(state, last, events, Number(batch.offsetLag()));
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
      clearInterval(flushTimer);
      await Promise.all([...inFlight].map((p) => p.catch(() => undefined)));
      // Write what the open windows hold, and wait for every write and its commit.
      for (const state of partitions.values()) flush(state);
      await Promise.all([...partitions.values()].map((s) => s.writing?.catch(() => undefined)));
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
