import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { connectProducer, waitFor } from '@ipscope/testkit';
import { createLogger } from '../log';
import { openStore } from '../storeSetup';
import { startIngestWorker, type FencedStore } from './ingestWorker';
import { createIngestMetrics } from './ingestMetrics';
import { catalogSampleMapper } from './sampleMapper';
import { topicDecoder } from './decoders';
import { appliedProgress, deleteTopics, diffTotals, dropPrefix, expectedTotals, knownRecords, lastOffsets, publishKnown, storedTotals, waitUntilApplied } from './testing/harness';

const run = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
const topic = `it.ingest.${run}`;
const prefix = `iti${run}`;
let redis: Redis;
const brokers = () => inject('kafkaBrokers');

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});

afterAll(async () => {
  await dropPrefix(redis, prefix);
  await redis.quit();
  await deleteTopics(brokers(), [topic, `${topic}.dlq`]);
});

const poison = [
  { value: 'not json at all', reason: 'bad_json' },
  { value: '[1,2,3]', reason: 'not_object' },
  { value: JSON.stringify({ ts: 1_762_000_000, 'id.orig_h': '10.0.0.1', 'id.resp_h': '10.0.0.999', proto: 'tcp' }), reason: 'bad_ip' },
  { value: JSON.stringify({ ts: 'yesterday', 'id.orig_h': '10.0.0.1', 'id.resp_h': '10.0.0.2', proto: 'tcp' }), reason: 'bad_timestamp' },
  { value: JSON.stringify({ ts: Date.now() / 1000 + 30 * 86_400, 'id.orig_h': '10.0.0.1', 'id.resp_h': '10.0.0.2', 'id.orig_p': 1, 'id.resp_p': 2, proto: 'tcp', uid: 'Cfuture' }), reason: 'bad_timestamp' },
];

async function readDeadLetters(count: number): Promise<Array<{ value: string; headers: Record<string, string> }>> {
  const kafka = new Kafka({ brokers: brokers().split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `it-dlq-${run}` });
  const out: Array<{ value: string; headers: Record<string, string> }> = [];
  await consumer.connect();
  await consumer.subscribe({ topic: `${topic}.dlq`, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${out.length} of ${count} dead letters arrived`)), 30_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        out.push({
          value: message.value?.toString() ?? '',
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
        });
        if (out.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return out;
}

describe('ingest worker (real Kafka and Redis)', () => {
  it('writes exactly the totals of a known event set, dead-letters poison messages, and counts nothing twice on replay', async () => {
    const records = knownRecords(21, 12);
    await publishKnown(brokers(), topic, records);
    const producer = await connectProducer(brokers());
    await producer.send({ topic, messages: poison.map((p) => ({ key: 'poison', value: p.value })) });
    await producer.disconnect();

    const { store, catalog } = openStore(redis, prefix);
    const start = (group: string) =>
      startIngestWorker({
        brokers: brokers().split(','),
        topics: [{ topic, format: 'zeek' }],
        group,
        store,
        connection: redis,
        decoderFor: topicDecoder,
        toSamples: catalogSampleMapper(catalog),
        metrics: createIngestMetrics(new Registry()),
        log: createLogger('test', 'warn'),
      });

    const worker = await start(`it-${run}-a`);
    await waitUntilApplied(store, brokers(), topic);
    await worker.stop();
    const expected = expectedTotals(records, catalog);
    expect(diffTotals(expected, await storedTotals(store, catalog))).toBe('');

    const letters = await readDeadLetters(poison.length);
    expect(letters.map((l) => l.value).sort()).toEqual(poison.map((p) => p.value).sort());
    for (const letter of letters) {
      const wanted = poison.find((p) => p.value === letter.value)!;
      expect(letter.headers['ipscope-reason']).toBe(wanted.reason);
      expect(letter.headers['ipscope-source-topic']).toBe(topic);
      expect(Number(letter.headers['ipscope-source-offset'])).toBeGreaterThanOrEqual(0);
      expect(letter.headers['ipscope-message']).not.toBe('');
    }

    // A second group starts from the beginning of the topic: every message is replayed,
    // and the fences in Redis make the replay count nothing twice.
    const again = await start(`it-${run}-b`);
    await new Promise((r) => setTimeout(r, 3000));
    await again.stop();
    expect(diffTotals(expected, await storedTotals(store, catalog))).toBe('');
  });

  it('stops on a write that fails with a bug instead of retrying it forever, commits nothing, and a fixed worker then takes every event', async () => {
    const bugTopic = `it.ingest.bug.${run}`;
    const bugPrefix = `itib${run}`;
    try {
      const records = knownRecords(22, 4, 600);
      await publishKnown(brokers(), bugTopic, records);
      const { store, catalog } = openStore(redis, bugPrefix);
      // The real store's reads and fences, but every write throws what a bug in the write would.
      const bug = new TypeError("Cannot read properties of undefined (reading 'shard')");
      const buggy: FencedStore = {
        fenceToken: (scope) => store.fenceToken(scope),
        aggregate: () => store.aggregate(),
        bulkInsert: async () => {
          throw bug;
        },
        writeAggregate: async () => {
          throw bug;
        },
      };
      const group = `it-${run}-bug`;
      const options = {
        brokers: brokers().split(','),
        topics: [{ topic: bugTopic, format: 'zeek' as const }],
        group,
        connection: redis,
        decoderFor: topicDecoder,
        toSamples: catalogSampleMapper(catalog),
        metrics: createIngestMetrics(new Registry()),
        log: createLogger('test', 'error'),
      };
      const fatal: unknown[] = [];
      const worker = await startIngestWorker({ ...options, store: buggy, onFatal: (error) => fatal.push(error) });
      await waitFor('the worker to report the failed write', async () => fatal.length > 0, { timeoutMs: 60_000 });
      await worker.stop();
      expect(fatal).toEqual([bug]);

      const partitions = [...(await lastOffsets(brokers(), bugTopic)).keys()];
      expect(await appliedProgress(store, bugTopic, partitions)).toBe(-partitions.length);
      const admin = new Kafka({ brokers: brokers().split(','), logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      const committed = await admin.fetchOffsets({ groupId: group, topics: [bugTopic] });
      await admin.disconnect();
      expect(committed.flatMap((t) => t.partitions.map((p) => p.offset))).toEqual(partitions.map(() => '-1'));

      const fixed = await startIngestWorker({ ...options, store });
      await waitUntilApplied(store, brokers(), bugTopic);
      await fixed.stop();
      expect(diffTotals(expectedTotals(records, catalog), await storedTotals(store, catalog))).toBe('');
    } finally {
      await dropPrefix(redis, bugPrefix);
      await deleteTopics(brokers(), [bugTopic, `${bugTopic}.dlq`]);
    }
  });
});
