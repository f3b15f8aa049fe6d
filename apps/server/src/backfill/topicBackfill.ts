import type { Admin, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { decoderFor, type Decoder, type FormatName } from '@ipscope/events';
import { countReason, type BackfillStats } from './backfillStats';
import { BACKFILL_HEADERS } from './backfillHeaders';
import type { ChunkCommitter } from './chunkCommitter';
import { decodeNetEventMessage } from './netEventMessage';
import { consumeRange } from './offsetRange';
import { inWindow, type RebuildWindow } from './rebuildWindow';
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
  /**
   * `--rebuild`: each message is decoded for its event time and only events in this window are
   * copied (others count as skipped `outside_window`; messages that do not decode are copied, so
   * the workers dead-letter them as before).
   */
  window?: RebuildWindow | undefined;
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
  const decode: Decoder | undefined =
    ctx.window === undefined ? undefined : ctx.format === 'netevent' ? (decodeNetEventMessage as Decoder) : decoderFor(ctx.format as FormatName);
  const outside = (message: KafkaMessage): boolean => {
    if (decode === undefined || ctx.window === undefined || message.value === null) return false;
    const result = decode(message.value);
    return result.kind === 'event' && !inWindow(ctx.window, result.event.ts);
  };

  const copy = async (partition: number, messages: KafkaMessage[]): Promise<void> => {
    const state = working.partitions[String(partition)];
    if (state === undefined) return;
    for (const message of messages) {
      if (ctx.signal.aborted) return;
      if (outside(message)) {
        countReason(ctx.stats.skipped, 'outside_window');
        state.next = String(BigInt(message.offset) + 1n);
        ctx.committer.item();
        done++;
        await ctx.committer.step();
        continue;
      }
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
