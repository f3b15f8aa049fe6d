import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { connectProducer } from '@ipscope/testkit';
import { createLogger } from '../log';
import { openStore } from '../storeSetup';
import { startIngestWorker } from './ingestWorker';
import { createIngestMetrics } from './ingestMetrics';
import { catalogSampleMapper } from './sampleMapper';
import { topicDecoder } from './decoders';
import { deleteTopics, diffTotals, dropPrefix, expectedTotals, knownRecords, publishKnown, storedTotals, waitUntilApplied } from './testing/harness';

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
});
