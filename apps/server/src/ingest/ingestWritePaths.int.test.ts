import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { connectProducer, type ZeekConnRecord } from '@ipscope/testkit';
import type { IngestWritePath } from './ingestWorker';
import { ingestOnce } from './testing/ingestOnce';
import { deleteTopics, diffTotals, dropPrefix, expectedTotals, knownRecords, publishKnown, storedTotals } from './testing/harness';

/**
 * The aggregate write path (default) and the Sample path give the same store, key for key,
 * including when the store refuses one event's sample in the middle of a batch (the aggregate
 * path then falls back to the Sample path, which dead-letters exactly that message).
 */
const run = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
const topic = `it.paths.${run}`;
const prefixes = { aggregate: `itpa${run}`, samples: `itps${run}` };
let redis: Redis;
const brokers = () => inject('kafkaBrokers');

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});

afterAll(async () => {
  for (const p of Object.values(prefixes)) await dropPrefix(redis, p);
  await redis.quit();
  await deleteTopics(brokers(), [topic, `${topic}.dlq`]);
});

/** Every key of a prefix with its content (prefix replaced, HyperLogLogs by their count). */
async function dump(prefix: string): Promise<Record<string, unknown>> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `{${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) {
    // A shard's write generations (`g`, `g:<d>`) are seeded from the server clock: they differ between two stores by design.
    if (/\}g(:[0-9a-f])?$/.test(key)) continue;
    const name = key.replace(`{${prefix}`, '{P');
    const type = await redis.type(key);
    if (type === 'hash') out[name] = Object.entries(await redis.hgetall(key)).sort();
    else if (type === 'zset') out[name] = await redis.zrange(key, 0, -1, 'WITHSCORES');
    else if (type === 'set') out[name] = (await redis.smembers(key)).sort();
    else out[name] = ['hll', await redis.pfcount(key)];
  }
  return out;
}

async function deadLetterReasons(count: number): Promise<string[]> {
  const kafka = new Kafka({ brokers: brokers().split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `it-paths-dlq-${run}` });
  const reasons: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: `${topic}.dlq`, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${reasons.length} of ${count} dead letters arrived`)), 30_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        reasons.push(String(message.headers?.['ipscope-reason'] ?? ''));
        if (reasons.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return reasons;
}

describe('ingest write paths (real Kafka and Redis)', () => {
  it('aggregate and Sample paths store the same keys and totals, and dead-letter the same refused message', async () => {
    const records = knownRecords(5, 6, 900);
    // Two connections of one IP in one minute whose bytes add up past 2^53: the store refuses the
    // second one's bytes sample (its bucket would overflow), so that message is dead-lettered.
    const first = records[0]!;
    const huge = (uid: string, ts: number): ZeekConnRecord => ({ ...first, uid, ts, 'id.orig_h': '10.250.0.1', 'id.resp_h': '10.250.0.2', orig_bytes: 2 ** 52, resp_bytes: 0 });
    const accepted = huge('Chuge1', first.ts + 1);
    const refused = huge('Chuge2', first.ts + 2);
    await publishKnown(brokers(), topic, records);
    const producer = await connectProducer(brokers());
    await producer.send({ topic, messages: [accepted, refused].map((r) => ({ key: 'huge', value: JSON.stringify(r) })) });
    await producer.disconnect();

    const totals: Record<IngestWritePath, string> = { aggregate: '', samples: '' };
    for (const path of ['aggregate', 'samples'] as const) {
      const { store, catalog } = await ingestOnce({ redis, brokers: brokers(), topic, prefix: prefixes[path], group: `it-paths-${path}-${run}`, writePath: path });
      totals[path] = diffTotals(expectedTotals([...records, accepted], catalog), await storedTotals(store, catalog));
    }
    expect(totals).toEqual({ aggregate: '', samples: '' });
    const aggregate = await dump(prefixes.aggregate);
    expect(Object.keys(aggregate).length).toBeGreaterThan(100);
    expect(aggregate).toEqual(await dump(prefixes.samples));
    expect(await deadLetterReasons(2)).toEqual(['bad_value', 'bad_value']);
  }, 400_000);
});
