import path from 'node:path';
import { Kafka, Partitioners, logLevel, type Admin, type Producer } from 'kafkajs';
import { listArchiveFiles, type ArchiveFile } from './archiveFiles';
import { BackfillError } from './backfillError';
import { emptyStats, type BackfillStats } from './backfillStats';
import { emptyCheckpoint, type BackfillCheckpoint } from './checkpoint';
import { readCheckpoint, wasTakenOver } from './checkpointStore';
import { ChunkCommitter } from './chunkCommitter';
import { backfillFiles, isFileDone } from './fileBackfill';
import { defaultJobId } from './jobId';
import type { BackfillOptions } from './options';
import type { ProgressSnapshot } from './progress';
import { backfillTopic } from './topicBackfill';
import { ensureTopics } from './topics';
import type { MetricDefinition } from '@ipscope/metrics';
import { describeWindow, rebuildPhase, type RebuildReport } from './rebuildPhase';
import { kafkaFailure, takenOverError, TransactionalWriter, waitForTransactionEnd } from './transactionalWriter';

/** Hooks the command line gives a run. */
export interface BackfillHooks {
  /** Aborting it stops the run after the current line; the open chunk is discarded. */
  signal: AbortSignal;
  /** Called often with a way to read the progress; cheap to ignore. */
  onProgress?: (snapshot: () => ProgressSnapshot) => void;
  /** Called once the job id is known and the checkpoint is read. */
  onStart?: (info: { job: string; resumed: boolean }) => void;
  /** `--rebuild`: the metric catalog the live workers run. Default: the default catalog. */
  definitions?: readonly MetricDefinition[];
  /** `--rebuild`: called once the window is fixed and the delete phase is over (or was done earlier). */
  onRebuild?: (report: RebuildReport) => void;
}

/** What a run did. */
export interface BackfillResult {
  job: string;
  status: 'completed' | 'interrupted';
  stats: BackfillStats;
  /** Wall time of this run. */
  seconds: number;
  /** Where the committed state stands, in words: where a re-run resumes. */
  position: string;
  /** The last committed checkpoint. */
  checkpoint: BackfillCheckpoint;
  /** `--rebuild`: the window and what the delete phase did (absent when interrupted before it ended). */
  rebuild?: RebuildReport;
}

/**
 * Runs one backfill job: lists the inputs, fences earlier runs of the job,
 * reads its checkpoint, replays what is not committed yet in transactional
 * chunks and commits the rest. Interrupting (through `hooks.signal`) aborts
 * the open transaction and resolves with status `interrupted`; errors reject
 * with a {@link BackfillError}.
 */
export async function runBackfill(options: BackfillOptions, hooks: BackfillHooks): Promise<BackfillResult> {
  const started = Date.now();
  const stats = emptyStats();
  const files = options.fromTopic === undefined ? await listArchiveFiles(options.inputs) : [];
  stats.filesTotal = files.length;
  const job =
    options.job ??
    defaultJobId({
      inputs: options.inputs.map((i) => path.resolve(i)),
      fromTopic: options.fromTopic,
      topic: options.topic,
      format: options.format,
      metrics: options.metrics,
      ...(options.rebuild ? { rebuild: { before: options.before, since: options.since } } : {}),
    });

  const kafka = new Kafka({
    clientId: 'ipscope-backfill',
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 5, initialRetryTime: 300 },
  });
  const admin = kafka.admin();
  const transactionalId = `ipscope-backfill-${job}`;
  let producer: Producer | undefined;
  let writer: TransactionalWriter | undefined;
  // This run's claim on the job, once it has one: a later failure is checked against it for a takeover.
  let ownBarriers: Array<{ partition: number; offset: string }> | undefined;
  try {
    await connect(admin, options.brokers);
    await prepareTopics(admin, options);
    producer = kafka.producer({
      idempotent: true,
      transactionalId,
      maxInFlightRequests: 1,
      transactionTimeout: 60_000,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect().catch((caught: unknown) => {
      throw kafkaFailure(caught, job, 'cannot connect the producer');
    });
    writer = new TransactionalWriter(producer, options.checkpointTopic, job);
    const barriers = await writer.fence(await partitionsOf(admin, options.checkpointTopic));
    ownBarriers = barriers;

    const stored = options.restart
      ? undefined
      : await readCheckpoint(kafka, admin, options.checkpointTopic, job, barriers, hooks.signal).catch(rethrowUnlessAborted(hooks.signal));
    if (hooks.signal.aborted) {
      return {
        job,
        status: 'interrupted',
        stats,
        seconds: (Date.now() - started) / 1000,
        position: 'stopped before reading the checkpoint; nothing was sent by this run',
        checkpoint: stored ?? emptyCheckpoint(job),
      };
    }
    const checkpoint = stored ?? emptyCheckpoint(job);
    const resumed = stored !== undefined;
    const committer = new ChunkCommitter(writer, checkpoint, stats, options.chunk);
    if (options.restart) {
      // Replace the old checkpoint at once: a restart interrupted before its first chunk must not resume the old run.
      committer.touch();
      await committer.commit();
      stats.commits = 0;
    }
    hooks.onStart?.({ job, resumed });

    let rebuild: RebuildReport | undefined;
    if (options.rebuild && !hooks.signal.aborted) {
      const report = await rebuildPhase({
        options,
        job,
        committer,
        definitions: hooks.definitions,
        signal: hooks.signal,
        onProgress: hooks.onProgress,
        now: Math.floor(started / 1000),
      });
      if (report === null) {
        await producer.disconnect();
        producer = undefined;
        const window = committer.committed.rebuild;
        return {
          job,
          status: 'interrupted',
          stats,
          seconds: (Date.now() - started) / 1000,
          position: `deleting ${options.metrics?.join(', ')} over ${window ? describeWindow(window) : 'the window'} (nothing replayed yet; a re-run deletes again, then replays)`,
          checkpoint: committer.committed,
        };
      }
      rebuild = report;
      hooks.onRebuild?.(report);
    }
    const window = rebuild?.window;

    // Rate and ETA count from here: connecting and reading the checkpoint are not throughput.
    const reading = Date.now();
    let completed: boolean;
    if (hooks.signal.aborted) completed = false;
    else if (options.fromTopic !== undefined) {
      let done = 0;
      let total = 0;
      completed = await backfillTopic({
        kafka,
        admin,
        sourceTopic: options.fromTopic,
        format: options.format,
        writer,
        committer,
        job,
        topic: options.topic,
        metrics: options.metrics,
        window,
        stats,
        signal: hooks.signal,
        onProgress: (d, t) => {
          done = d;
          total = t;
          hooks.onProgress?.(() => ({ done, total, doneAtStart: 0, lines: done, elapsed: (Date.now() - reading) / 1000, noun: 'messages' }));
        },
      });
    } else {
      const total = files.reduce((sum, f) => sum + f.size, 0);
      const doneAtStart = files.reduce((sum, f) => sum + (isFileDone(checkpoint.files[f.path], f) ? f.size : 0), 0);
      let done = doneAtStart;
      const snapshot = (): ProgressSnapshot => ({
        done,
        total,
        doneAtStart,
        lines: stats.linesRead + stats.linesResumed,
        elapsed: (Date.now() - reading) / 1000,
        noun: 'lines',
      });
      completed = await backfillFiles({
        files,
        writer,
        committer,
        job,
        topic: options.topic,
        dlqTopic: options.dlqTopic,
        format: options.format,
        metrics: options.metrics,
        window,
        stats,
        signal: hooks.signal,
        onBytes: (n) => {
          done += n;
        },
        onTick: () => hooks.onProgress?.(snapshot),
      });
    }

    if (completed) await committer.commit();
    else await writer.abort();
    await producer.disconnect();
    producer = undefined;
    // Return only once the last commit is visible: a script that reads the topic next must find all of it.
    await waitForTransactionEnd(kafka, transactionalId).catch((caught: unknown) => {
      throw kafkaFailure(caught, job, 'the last chunk is committed, but waiting for it to become visible failed');
    });
    const final = committer.committed;
    return {
      job,
      status: completed ? 'completed' : 'interrupted',
      stats,
      seconds: (Date.now() - started) / 1000,
      position: describePosition(final, files, options.fromTopic),
      checkpoint: final,
      ...(rebuild === undefined ? {} : { rebuild }),
    };
  } catch (caught) {
    await writer?.abort().catch(() => undefined);
    const failure = caught instanceof BackfillError ? caught : kafkaFailure(caught, job, 'backfill failed');
    if (failure.code === 'kafka' && ownBarriers !== undefined) {
      const barriers = ownBarriers;
      const takenOver = await wasTakenOver(kafka, admin, options.checkpointTopic, job, barriers).catch(() => false);
      if (takenOver) throw takenOverError(job, failure);
    }
    throw failure;
  } finally {
    await producer?.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

async function connect(admin: Admin, brokers: readonly string[]): Promise<void> {
  try {
    await admin.connect();
  } catch (caught) {
    const detail = caught instanceof Error ? caught.message : String(caught);
    throw new BackfillError('kafka', `cannot reach Kafka at ${brokers.join(',')} (--brokers / KAFKA_BROKERS): ${detail}`, true, { cause: caught });
  }
}

async function prepareTopics(admin: Admin, options: BackfillOptions): Promise<void> {
  if (options.fromTopic !== undefined) {
    const existing = await admin.listTopics();
    if (!existing.includes(options.fromTopic)) throw new BackfillError('input', `--from-topic ${options.fromTopic}: no such topic`);
  }
  await ensureTopics(admin, [
    { topic: options.topic, partitions: options.partitions },
    { topic: options.dlqTopic, partitions: 1 },
    { topic: options.checkpointTopic, partitions: 1, compacted: true },
  ]);
}

async function partitionsOf(admin: Admin, topic: string): Promise<number[]> {
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  const partitions = metadata.topics[0]?.partitions.map((p) => p.partitionId) ?? [];
  if (partitions.length === 0) throw new BackfillError('kafka', `topic ${topic} has no partitions`, true);
  return partitions.sort((a, b) => a - b);
}

function rethrowUnlessAborted(signal: AbortSignal): (caught: unknown) => undefined {
  return (caught) => {
    if (signal.aborted) return undefined;
    throw caught;
  };
}

/** Where a re-run would resume, in words. */
export function describePosition(checkpoint: BackfillCheckpoint, files: readonly ArchiveFile[], fromTopic: string | undefined): string {
  if (fromTopic !== undefined) {
    const parts = Object.entries(checkpoint.partitions).map(([p, s]) => `${p}:${s.next}/${s.end}`);
    return parts.length === 0 ? `nothing of ${fromTopic} committed yet` : `${fromTopic} partition:next/end ${parts.join(' ')}`;
  }
  const open = files.find((f) => !isFileDone(checkpoint.files[f.path], f));
  if (open === undefined) return 'every file is done';
  const line = checkpoint.files[open.path]?.line ?? 0;
  return line === 0 ? `at the start of ${open.path}` : `${open.path} after line ${line}`;
}
