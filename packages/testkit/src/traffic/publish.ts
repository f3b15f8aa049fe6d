import { Kafka, logLevel, CompressionTypes, type Producer } from 'kafkajs';
import { ZeekConnGenerator, type TrafficOptions, type ZeekConnRecord } from './zeekConn';

export interface PublishOptions {
  brokers: string;
  topic: string;
  partitions?: number;
}

export async function connectProducer(brokers: string, clientId = 'ipscope-traffic'): Promise<Producer> {
  const kafka = new Kafka({ clientId, brokers: brokers.split(','), logLevel: logLevel.ERROR });
  // Idempotent: a send retried after a lost acknowledgement (a slow broker under load) is not
  // stored twice, so tests that compare exact totals with what they published stay exact.
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return producer;
}

/** Creates the topic if it does not exist yet (idempotent). */
export async function ensureTopic(brokers: string, topic: string, partitions = 6): Promise<void> {
  const kafka = new Kafka({ clientId: 'ipscope-admin', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(topic)) {
      await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
    }
  } finally {
    await admin.disconnect();
  }
}

/** Sends records as JSON, keyed by originator so one host's records stay in order on one partition. */
export async function publishRecords(producer: Producer, topic: string, records: Iterable<ZeekConnRecord>, batchSize = 2000): Promise<number> {
  let batch: { key: string; value: string }[] = [];
  let sent = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await producer.send({ topic, compression: CompressionTypes.None, messages: batch });
    sent += batch.length;
    batch = [];
  };
  for (const record of records) {
    batch.push({ key: record['id.orig_h'], value: JSON.stringify(record) });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return sent;
}

export interface LiveTrafficOptions extends PublishOptions, TrafficOptions {
  /** Connections per second at the busiest hour. Default 200. */
  rate?: number;
  /** Seconds of history to publish first, so charts are not empty. Default 6 hours. */
  history?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** Publishes history, then live traffic once a second until `signal` aborts. */
export async function runLiveTraffic(options: LiveTrafficOptions): Promise<void> {
  const rate = options.rate ?? 200;
  const generator = new ZeekConnGenerator(options);
  await ensureTopic(options.brokers, options.topic, options.partitions ?? 6);
  const producer = await connectProducer(options.brokers);
  try {
    let cursor = Math.floor(Date.now() / 1000) - (options.history ?? 6 * 3600);
    const historyCount = await publishRecords(producer, options.topic, generator.between(cursor, Math.floor(Date.now() / 1000), rate / 4));
    options.log?.(`traffic: published ${historyCount} historical conn records to ${options.topic}`);
    cursor = Math.floor(Date.now() / 1000);
    while (!options.signal?.aborted) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = Math.floor(Date.now() / 1000);
      await publishRecords(producer, options.topic, generator.between(cursor, now, rate));
      cursor = now;
    }
  } finally {
    await producer.disconnect();
  }
}
