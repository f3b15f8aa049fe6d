import type { Admin, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import type { BackfillStats } from './backfillStats';
import { BACKFILL_HEADERS } from './backfillHeaders';
import type { ChunkCommitter } from './chunkCommitter';
import { consumeRange } from './offsetRange';
import type { TransactionalWriter } from './transactionalWriter';
import { fetchTopicOffsets } from '../kafka/topicOffsets';

/** Everything {@link backfillTopic} needs. */
export interface TopicBackfillContext {
  kafka: Kafka;
  admin: Admin;
  /** Topic whose retained history is replayed. */
  sourceTopic: string;
  /** Format of its messages, written as the `ipscope-format` header of each copy. */
  format: string;
  writer: TransactionalWriter;
  committer: ChunkCommitter;
  job: string;
  topic: string;
  metrics: readonly string[] | undefined;
  stats: BackfillStats;
  signal: AbortSignal;
  /** Messages passed in this run, and how many this run has to pass in all. */
  onProgress: (done: number, total: number) => void;
}

/**
 * Copies the retained history of a topic into the backfill topic, raw, with
 * headers that say how to decode it (`ipscope-format`), where it came from
 * (`ipscope-source: <topic>:<partition>:<offset>`) and which metrics to fill
 * (`ipscope-metrics`). The range is fixed when the job first starts (each
 * partition's end offset then is kept in the checkpoint), so messages that
 * arrive later are live traffic, not history, and a resumed run copies
 * exactly the rest. Returns false when interrupted.
 */
export async function backfillTopic(ctx: TopicBackfillContext): Promise<boolean> {
  const working = ctx.committer.working;
  if (Object.keys(working.partitions).length === 0) {
    for (const o of await fetchTopicOffsets(ctx.admin, ctx.sourceTopic)) {
      working.partitions[String(o.partition)] = { next: o.low, end: o.high };
    }
    ctx.committer.touch();
  }
  const ranges = Object.entries(working.partitions).map(([partition, p]) => ({ partition: Number(partition), from: p.next, to: p.end }));
  const total = ranges.reduce((sum, r) => sum + Math.max(0, Number(BigInt(r.to) - BigInt(r.from))), 0);
  let done = 0;
  ctx.onProgress(done, total);
  const metricsHeader = ctx.metrics?.join(',');

  const copy = async (partition: number, messages: KafkaMessage[]): Promise<void> => {
    const state = working.partitions[String(partition)];
    if (state === undefined) return;
    for (const message of messages) {
      if (ctx.signal.aborted) return;
      const source = `${ctx.sourceTopic}:${partition}:${message.offset}`;
      const headers: IHeaders = {};
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        if (!name.startsWith('ipscope-') && value !== undefined) headers[name] = value;
      }
      headers[BACKFILL_HEADERS.format] = ctx.format;
      headers[BACKFILL_HEADERS.source] = source;
      headers[BACKFILL_HEADERS.job] = ctx.job;
      if (metricsHeader !== undefined) headers[BACKFILL_HEADERS.metrics] = metricsHeader;
      const bytes = (message.value?.length ?? 0) + (message.key?.length ?? 0) + source.length + 96;
      ctx.writer.add(ctx.topic, { key: message.key, value: message.value, headers }, bytes);
      state.next = String(BigInt(message.offset) + 1n);
      ctx.stats.messagesCopied++;
      ctx.committer.item();
      done++;
      await ctx.committer.step();
    }
    ctx.onProgress(done, total);
  };

  try {
    await consumeRange({
      kafka: ctx.kafka,
      topic: ctx.sourceTopic,
      ranges,
      groupPrefix: `ipscope-backfill-read-${ctx.job}`,
      signal: ctx.signal,
      onMessages: copy,
      onAdvance: (partition, next) => {
        const state = working.partitions[String(partition)];
        if (state !== undefined && BigInt(next) > BigInt(state.next)) {
          state.next = next;
          ctx.committer.touch();
        }
      },
    });
  } catch (caught) {
    if (ctx.signal.aborted) return false;
    throw caught;
  }
  return !ctx.signal.aborted;
}
