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
