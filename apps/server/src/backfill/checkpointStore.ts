import type { Admin, Kafka } from 'kafkajs';
import { decodeCheckpoint, type BackfillCheckpoint } from './checkpoint';
import { consumeRange } from './offsetRange';
import type { TransactionalWriter } from './transactionalWriter';
import { fetchTopicOffsets } from '../kafka/topicOffsets';

/**
 * Reads the latest committed checkpoint of a job: each checkpoint partition
 * is read from its start through the job's read barrier (see
 * {@link TransactionalWriter.fence}), read-committed, so a checkpoint of an
 * aborted transaction is never seen and every committed one is; the last
 * record keyed by the job id wins, as compaction would keep it. A tombstone
 * (null value) means "no checkpoint". Returns undefined when the job has
 * none.
 */
export async function readCheckpoint(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  job: string,
  barriers: ReadonlyArray<{ partition: number; offset: string }>,
  signal?: AbortSignal,
): Promise<BackfillCheckpoint | undefined> {
  const offsets = await fetchTopicOffsets(admin, topic);
  let latest: Buffer | null = null;
  await consumeRange({
    kafka,
    topic,
    ranges: barriers.map((b) => ({
      partition: b.partition,
      from: offsets.find((o) => o.partition === b.partition)?.low ?? '0',
      to: String(BigInt(b.offset) + 1n),
    })),
    groupPrefix: `ipscope-backfill-checkpoint-read-${job}`,
    ...(signal ? { signal } : {}),
    onMessages: async (_partition, messages) => {
      for (const message of messages) {
        if (message.key !== null && message.key.toString('utf8') === job) latest = message.value;
      }
    },
  });
  const value: Buffer | null = latest;
  return value === null ? undefined : decodeCheckpoint(job, value);
}

/** How long {@link wasTakenOver} looks for a newer run's barrier. */
const TAKEOVER_WAIT_MS = 5_000;
const TAKEOVER_POLL_MS = 250;

/**
 * True when another run of `job` has claimed the job after this one: a barrier
 * record of the job (see {@link TransactionalWriter.fence}) lies beyond this
 * run's own `barriers` on a checkpoint partition. Used when the broker refuses
 * this run's transaction with a generic error instead of a fencing error (a
 * commit racing the new run's claim can get "unexpected server error"): the
 * new run commits its barrier right after claiming, so this looks for a few
 * seconds (`waitMs`) before answering no.
 */
export async function wasTakenOver(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  job: string,
  barriers: ReadonlyArray<{ partition: number; offset: string }>,
  waitMs = TAKEOVER_WAIT_MS,
): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  const barrierKey = `${job}.barrier`;
  const searched = new Map(barriers.map((b) => [b.partition, BigInt(b.offset) + 1n]));
  for (;;) {
    const offsets = await fetchTopicOffsets(admin, topic);
    const ranges = [];
    for (const [partition, from] of searched) {
      const high = BigInt(offsets.find((o) => o.partition === partition)?.high ?? '0');
      if (high > from) ranges.push({ partition, from: String(from), to: String(high) });
    }
    let found = false;
    if (ranges.length > 0) {
      const left = Math.max(1, deadline - Date.now());
      const read = consumeRange({
        kafka,
        topic,
        ranges,
        groupPrefix: `ipscope-backfill-takeover-check-${job}`,
        signal: AbortSignal.timeout(left),
        onMessages: async (_partition, messages) => {
          if (messages.some((m) => m.key !== null && m.key.toString('utf8') === barrierKey)) found = true;
        },
      });
      // A range that cannot be read to its end in time (a transaction still open) is searched again below.
      const complete = await read.then(
        () => true,
        () => false,
      );
      if (found) return true;
      if (complete) for (const r of ranges) searched.set(r.partition, BigInt(r.to));
    }
    if (Date.now() + TAKEOVER_POLL_MS >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, TAKEOVER_POLL_MS));
  }
}
