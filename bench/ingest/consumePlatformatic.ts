import { Consumer } from '@platformatic/kafka';
import { CompletionTracker, ownCpuSeconds, parseOrigBytes, type ConsumeResult, type ConsumeTarget } from './consumeResult';

/**
 * The @platformatic/kafka ceiling: a fresh consumer group from the earliest offset, the same
 * fetch sizes and session as the ingest worker, no auto-commit, Buffer values (no deserializer),
 * every message JSON-parsed as it streams in.
 */
export async function consumeWithPlatformatic(target: ConsumeTarget): Promise<ConsumeResult> {
  const createdAt = Date.now();
  const consumer = new Consumer({
    clientId: 'bench-ingest-ceiling',
    groupId: target.group,
    bootstrapBrokers: target.brokers,
    maxBytesPerPartition: target.fetchBytes,
    maxBytes: Math.max(4 * target.fetchBytes, 1024 * 1024),
    sessionTimeout: 30_000,
    heartbeatInterval: 3000,
  });
  const tracker = new CompletionTracker(target.lastOffsets);
  let joinedAt: number | undefined;
  let firstMessageAt: number | undefined;
  let messages = 0;
  let valueBytes = 0;
  let origBytesSum = 0;
  consumer.on('consumer:group:join', () => (joinedAt ??= Date.now()));
  try {
    const stream = await consumer.consume({ topics: [target.topic], mode: 'earliest', autocommit: false });
    const doneAt = await new Promise<number>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('data', (message) => {
        firstMessageAt ??= Date.now();
        valueBytes += message.value.length;
        origBytesSum += parseOrigBytes(message.value);
        messages++;
        tracker.reached(message.partition, Number(message.offset));
        if (tracker.done) resolve(Date.now());
      });
    });
    await stream.close();
    return { client: 'platformatic', messages, valueBytes, origBytesSum, createdAt, joinedAt, firstMessageAt, doneAt, cpuSeconds: ownCpuSeconds() };
  } finally {
    await consumer.close(true);
  }
}
