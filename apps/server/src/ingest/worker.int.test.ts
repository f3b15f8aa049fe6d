import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { ZeekConnGenerator, connectProducer, ensureTopic, publishRecords, waitFor } from '@ipscope/testkit';
import { createLogger } from '../log';
import { ConnCounts } from './connCounts';
import { startIngestWorker } from './worker';

const run = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
const topic = `it.conn.${run}`;
const prefix = `it${run}`;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'));
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  const admin = new Kafka({ brokers: inject('kafkaBrokers').split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

describe('ingest worker (real Kafka and Redis)', () => {
  it('counts every connection per responder and minute exactly once, and skips malformed records', async () => {
    const brokers = inject('kafkaBrokers');
    const records = [...new ZeekConnGenerator({ seed: 11 }).between(1_699_999_980, 1_700_000_880, 6)];
    const expected = new Map<string, number>();
    for (const r of records) expected.set(r['id.resp_h'], (expected.get(r['id.resp_h']) ?? 0) + 1);

    await ensureTopic(brokers, topic, 3);
    const producer = await connectProducer(brokers);
    await publishRecords(producer, topic, records);
    await producer.send({ topic, messages: [{ value: 'not json' }, { value: '{"ts": "yesterday"}' }] });
    await producer.disconnect();

    const counts = new ConnCounts(redis, prefix);
    const worker = await startIngestWorker({ brokers: brokers.split(','), topic, group: `it-${run}`, counts, log: createLogger('test', 'error') });
    try {
      await waitFor('all records counted', async () => {
        const top = await counts.top(1000);
        return top.reduce((s, t) => s + t.connections, 0) === records.length;
      }, { timeoutMs: 60_000 });
    } finally {
      await worker.stop();
    }
    const top = await counts.top(1000);
    expect(new Map(top.map((t) => [t.ip, t.connections]))).toEqual(expected);

    const [busiest] = [...expected].sort((a, b) => b[1] - a[1]);
    const series = await counts.series(busiest![0], 1_699_999_980, 1_700_000_880);
    expect(series).toHaveLength(15);
    expect(series.reduce((s, [, v]) => s + v, 0)).toBe(busiest![1]);
  });
});
