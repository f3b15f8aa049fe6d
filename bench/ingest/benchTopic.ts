import { CompressionTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { benchRecords } from './benchRecords';

export const BENCH_PARTITIONS = 6;

/** The pre-filled topic a run reads, and what is in it. */
export interface BenchTopic {
  topic: string;
  /** Last offset of each partition (high watermark − 1; −1 when the partition is empty). */
  lastOffsets: Map<number, number>;
  /** Bytes of message values in the topic. */
  valueBytes: number | undefined;
  /** Seconds spent filling it in this run; undefined when an existing topic was reused. */
  fillSeconds: number | undefined;
}

/** Topic name for a record count, seed and span, so a topic is reused only for the very same data. */
export function benchTopicName(records: number, seed: number, spanSeconds: number): string {
  const count = records % 1_000_000 === 0 ? `${records / 1_000_000}m` : records % 1000 === 0 ? `${records / 1000}k` : String(records);
  return `bench.ingest.conn.${count}.seed${seed}.span${spanSeconds}`;
}

async function partitionOffsets(admin: Admin, topic: string): Promise<{ low: number; high: number; partition: number }[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) }));
}

async function deleteAndWait(admin: Admin, topics: string[]): Promise<void> {
  await admin.deleteTopics({ topics, timeout: 30_000 });
  const deadline = Date.now() + 60_000;
  while ((await admin.listTopics()).some((t) => topics.includes(t))) {
    if (Date.now() > deadline) throw new Error(`Kafka did not finish deleting ${topics.join(', ')} within 60 s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/**
 * Returns the topic of `records` Zeek conn records for `seed` and span on 6 partitions, filling it
 * first unless it already exists with exactly that many messages from offset 0 (a run cut
 * short while filling leaves fewer: that topic is deleted and filled again). Records are
 * keyed by originator, as a Zeek shipper would, and sent uncompressed with up to four
 * batches in flight.
 */
export async function ensureBenchTopic(brokers: string, records: number, seed: number, spanSeconds: number, log: (line: string) => void): Promise<BenchTopic> {
  const topic = benchTopicName(records, seed, spanSeconds);
  const kafka = new Kafka({ clientId: 'bench-ingest-fill', brokers: brokers.split(','), logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (existing.includes(topic)) {
      const offsets = await partitionOffsets(admin, topic);
      const count = offsets.reduce((a, o) => a + o.high - o.low, 0);
      if (offsets.length === BENCH_PARTITIONS && count === records && offsets.every((o) => o.low === 0)) {
        log(`reusing topic ${topic} (${count} records on ${offsets.length} partitions)`);
        return { topic, lastOffsets: new Map(offsets.map((o) => [o.partition, o.high - 1])), valueBytes: undefined, fillSeconds: undefined };
      }
      log(`topic ${topic} holds ${count} records on ${offsets.length} partitions, not ${records} on ${BENCH_PARTITIONS}: deleting and filling again`);
      await deleteAndWait(admin, [topic, ...existing.filter((t) => t === `${topic}.dlq`)]);
    }
    await admin.createTopics({ topics: [{ topic, numPartitions: BENCH_PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });

    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const started = performance.now();
    let sent = 0;
    let valueBytes = 0;
    try {
      const inFlight = new Set<Promise<unknown>>();
      let batch: { key: string; value: string }[] = [];
      let nextReport = 250_000;
      const flush = async () => {
        if (batch.length === 0) return;
        const messages = batch;
        batch = [];
        const sending = producer.send({ topic, compression: CompressionTypes.None, messages }).then(() => {
          inFlight.delete(sending);
          sent += messages.length;
        });
        inFlight.add(sending);
        if (inFlight.size >= 4) await Promise.race(inFlight);
        if (sent >= nextReport) {
          log(`filling ${topic}: ${sent}/${records}`);
          nextReport += 250_000;
        }
      };
      for (const record of benchRecords(records, seed, spanSeconds)) {
        const value = JSON.stringify(record);
        valueBytes += Buffer.byteLength(value);
        batch.push({ key: record['id.orig_h'], value });
        if (batch.length >= 4000) await flush();
      }
      await flush();
      await Promise.all(inFlight);
    } finally {
      await producer.disconnect();
    }
    const fillSeconds = (performance.now() - started) / 1000;
    const offsets = await partitionOffsets(admin, topic);
    const count = offsets.reduce((a, o) => a + o.high - o.low, 0);
    if (count !== records) throw new Error(`filling ${topic} left ${count} messages, expected ${records}`);
    log(`filled ${topic}: ${records} records in ${fillSeconds.toFixed(1)} s (${Math.round(records / fillSeconds)}/s)`);
    return { topic, lastOffsets: new Map(offsets.map((o) => [o.partition, o.high - 1])), valueBytes, fillSeconds };
  } finally {
    await admin.disconnect();
  }
}
