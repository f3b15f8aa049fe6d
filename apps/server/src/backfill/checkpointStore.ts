import type { Admin, Kafka } from 'kafkajs';
import { decodeCheckpoint, type BackfillCheckpoint } from './checkpoint';
import { consumeRange } from './offsetRange';

/**
 * Reads the latest committed checkpoint of a job: the checkpoint topic is
 * read from its start to its current end (read-committed, so a checkpoint of
 * an aborted or still-open transaction is never seen) and the last record
 * keyed by the job id wins, as compaction would keep it. A tombstone (null
 * value) means "no checkpoint". Returns undefined when the job has none.
 *
 * Call it after the job's transactional producer has been initialised: that
 * fences an earlier run of the job and ends its open transaction, so no
 * checkpoint can be committed after this read.
 */
export async function readCheckpoint(kafka: Kafka, admin: Admin, topic: string, job: string, signal?: AbortSignal): Promise<BackfillCheckpoint | undefined> {
  const offsets = await admin.fetchTopicOffsets(topic);
  let latest: Buffer | null = null;
  await consumeRange({
    kafka,
    topic,
    ranges: offsets.map((o) => ({ partition: o.partition, from: o.low, to: o.high })),
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
