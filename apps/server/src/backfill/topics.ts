import type { Admin } from 'kafkajs';
import { BackfillError } from './backfillError';

/** A topic the backfill writes to. */
export interface TopicSpec {
  topic: string;
  partitions: number;
  /** Log compaction (the checkpoint topic: only the last record per job matters). */
  compacted?: boolean;
}

/**
 * Creates the topics that do not exist yet (replication factor: the broker's
 * default). Existing topics are used as they are, whatever their partition
 * count. Safe when several runs race to create the same topic.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length === 0) return;
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.topic,
        numPartitions: s.partitions,
        configEntries: s.compacted
          ? [
              { name: 'cleanup.policy', value: 'compact' },
              { name: 'segment.ms', value: String(10 * 60 * 1000) },
              { name: 'min.cleanable.dirty.ratio', value: '0.1' },
            ]
          : [],
      })),
    });
  } catch (caught) {
    const type = (caught as { type?: unknown }).type;
    const nested = (caught as { errors?: Array<{ type?: unknown }> }).errors ?? [];
    if (type === 'TOPIC_ALREADY_EXISTS' || (nested.length > 0 && nested.every((e) => e.type === 'TOPIC_ALREADY_EXISTS'))) return;
    const detail = caught instanceof Error ? caught.message : String(caught);
    throw new BackfillError('kafka', `cannot create topics ${missing.map((s) => s.topic).join(', ')}: ${detail}`, true, { cause: caught });
  }
}
