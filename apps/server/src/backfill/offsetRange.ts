import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { fetchTopicOffsets } from '../kafka/topicOffsets';

/** Offsets `[from, to)` of one partition (decimal strings, as kafkajs gives them). */
export interface OffsetRange {
  partition: number;
  from: string;
  to: string;
}

/** Options of {@link consumeRange}. */
export interface ConsumeRangeOptions {
  kafka: Kafka;
  topic: string;
  ranges: readonly OffsetRange[];
  /**
   * Receives the committed messages of each range in offset order, one
   * partition at a time; the next batch waits until the returned promise
   * settles. A rejection stops the read and is rethrown by consumeRange.
   */
  onMessages: (partition: number, messages: KafkaMessage[]) => Promise<void>;
  /**
   * Told when a partition's position moves past offsets that carried no
   * message (transaction markers, aborted or compacted records): everything
   * before `next` has been handed to onMessages.
   */
  onAdvance?: (partition: number, next: string) => void;
  /** Stops the read; consumeRange then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Prefix of the throw-away consumer group's id. */
  groupPrefix: string;
}

/**
 * Reads the given offset ranges of a topic once, read-committed, and returns
 * when every range has been consumed to its end. Uses a throw-away consumer
 * group that seeks each partition to the start of its range (partitions
 * without a range to their end), and deletes the group afterwards.
 *
 * The end of a range is reached even when its last offsets hold no message
 * (a commit marker, an aborted transaction): positions advance on every
 * fetched batch, filtered or not.
 */
export async function consumeRange(options: ConsumeRangeOptions): Promise<void> {
  const { kafka, topic } = options;
  const next = new Map<number, bigint>();
  const to = new Map<number, bigint>();
  for (const range of options.ranges) {
    if (BigInt(range.from) < BigInt(range.to)) {
      next.set(range.partition, BigInt(range.from));
      to.set(range.partition, BigInt(range.to));
    }
  }
  if (next.size === 0) return;
  options.signal?.throwIfAborted();

  const groupId = `${options.groupPrefix}-${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await fetchTopicOffsets(admin, topic);

    // A short fetch wait: disconnecting waits for the fetch in flight, and a bounded read ends with one.
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxBytesPerPartition: 4 * 1024 * 1024, maxWaitTimeInMs: 300 });
    let settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
    const finished = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    finished.catch(() => undefined); // awaited below; this only stops an early rejection counting as unhandled
    let failed = false;
    const fail = (error: unknown) => {
      failed = true;
      settle?.reject(error);
    };
    const advance = (partition: number, position: bigint) => {
      const current = next.get(partition);
      const end = to.get(partition);
      if (current === undefined || end === undefined) return;
      const moved = position > end ? end : position;
      if (moved <= current) return;
      next.set(partition, moved);
      options.onAdvance?.(partition, String(moved));
      if ([...next].every(([p, n]) => n >= (to.get(p) ?? 0n))) settle?.resolve();
    };
    const onAbort = () => fail(options.signal?.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
      if (!failed && event.payload.topic === topic) advance(event.payload.partition, BigInt(event.payload.lastOffset) + 1n);
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) fail(event.payload.error);
    });

    try {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: async ({ batch, heartbeat }) => {
          if (failed) return;
          const position = next.get(batch.partition);
          const end = to.get(batch.partition);
          if (position === undefined || end === undefined || position >= end) return;
          const wanted = batch.messages.filter((m) => {
            const offset = BigInt(m.offset);
            return offset >= position && offset < end;
          });
          try {
            if (wanted.length > 0) await options.onMessages(batch.partition, wanted);
          } catch (error) {
            fail(error);
            return;
          }
          advance(batch.partition, BigInt(batch.lastOffset()) + 1n);
          await heartbeat();
        },
      });
      // Seeks apply before the first fetch of each partition; a stale batch from before one is filtered out above.
      for (const o of offsets) consumer.seek({ topic, partition: o.partition, offset: String(next.get(o.partition) ?? o.high) });
      await finished;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      await consumer.disconnect();
    }
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
