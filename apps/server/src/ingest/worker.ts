import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { Logger } from '../log';
import type { ConnCounts } from './connCounts';

export interface IngestWorkerOptions {
  brokers: string[];
  topic: string;
  group: string;
  counts: ConnCounts;
  log: Logger;
}

/** Responder IP and minute of one Zeek conn JSON record, or a reason it has none. */
export function respondedMinute(raw: string): { ip: string; minute: number } | { error: string } {
  let record: unknown;
  try {
    record = JSON.parse(raw);
  } catch {
    return { error: 'not JSON' };
  }
  if (typeof record !== 'object' || record === null) return { error: 'not a JSON object' };
  const r = record as Record<string, unknown>;
  const ip = r['id.resp_h'];
  const ts = r.ts;
  if (typeof ip !== 'string' || ip.length === 0) return { error: 'id.resp_h missing' };
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return { error: 'ts missing or not a number' };
  return { ip, minute: Math.floor(ts / 60) * 60 };
}

/** A consumer-group member: one pre-aggregated write per partition batch, offsets committed after it. */
export async function startIngestWorker(options: IngestWorkerOptions): Promise<{ stop(): Promise<void>; consumer: Consumer }> {
  const kafka = new Kafka({ clientId: 'ipscope-ingest', brokers: options.brokers, logLevel: logLevel.WARN });
  const consumer = kafka.consumer({ groupId: options.group, maxBytesPerPartition: 4 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    autoCommit: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      const counts = new Map<string, Map<number, number>>();
      let bad = 0;
      for (const message of batch.messages) {
        const parsed = respondedMinute(message.value?.toString('utf8') ?? '');
        if ('error' in parsed) {
          bad++;
          continue;
        }
        let minutes = counts.get(parsed.ip);
        if (!minutes) counts.set(parsed.ip, (minutes = new Map()));
        minutes.set(parsed.minute, (minutes.get(parsed.minute) ?? 0) + 1);
      }
      await options.counts.add(counts);
      const last = batch.messages[batch.messages.length - 1];
      if (last) {
        resolveOffset(last.offset);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(BigInt(last.offset) + 1n) }]);
      }
      await heartbeat();
      if (bad > 0) options.log.warn('skipped undecodable records', { topic: batch.topic, partition: batch.partition, bad });
    },
  });
  return { consumer, stop: () => consumer.disconnect() };
}
