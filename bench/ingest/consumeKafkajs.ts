import { Kafka, logLevel } from 'kafkajs';
import { CompletionTracker, ownCpuSeconds, parseOrigBytes, type ConsumeResult, type ConsumeTarget } from './consumeResult';

/**
 * The kafkajs ceiling: a fresh consumer group from the beginning, configured like the ingest
 * worker (same fetch sizes, session, eachBatch, one partition at a time, no auto-commit), that
 * only JSON-parses every message.
 */
export async function consumeWithKafkajs(target: ConsumeTarget): Promise<ConsumeResult> {
  const createdAt = Date.now();
  const kafka = new Kafka({ clientId: 'bench-ingest-ceiling', brokers: target.brokers, logLevel: logLevel.WARN });
  const consumer = kafka.consumer({
    groupId: target.group,
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
  consumer.on(consumer.events.GROUP_JOIN, () => (joinedAt ??= Date.now()));
  let finish: (at: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));

  await consumer.connect();
  try {
    await consumer.subscribe({ topic: target.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, heartbeat }) => {
        if (batch.messages.length === 0) return;
        firstMessageAt ??= Date.now();
        for (const message of batch.messages) {
          if (message.value === null) continue;
          valueBytes += message.value.length;
          origBytesSum += parseOrigBytes(message.value);
          messages++;
        }
        tracker.reached(batch.partition, Number(batch.lastOffset()));
        if (tracker.done) finish(Date.now());
        await heartbeat();
      },
    });
    const doneAt = await finished;
    return { client: 'kafkajs', messages, valueBytes, origBytesSum, createdAt, joinedAt, firstMessageAt, doneAt, cpuSeconds: ownCpuSeconds() };
  } finally {
    await consumer.disconnect();
  }
}
