import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { wasTakenOver } from './checkpointStore';
import { ensureTopics } from './topics';
import { TransactionalWriter } from './transactionalWriter';

/*
 * The takeover check a run makes when the broker refuses its transaction with a
 * generic error: has another run of the same job claimed it since? Two real
 * transactional producers with the same id claim the job one after the other.
 */

const brokers = inject('kafkaBrokers');
const kafka = new Kafka({ clientId: 'checkpoint-store-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
const topic = `ipscope-test-takeover-${randomUUID().slice(0, 8)}`;
const producers: Producer[] = [];
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic, partitions: 2, compacted: true }]);
});

afterAll(async () => {
  for (const producer of producers) await producer.disconnect().catch(() => undefined);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

/** Claims `job` the way a backfill run does and returns its barriers. */
async function claim(job: string): Promise<Array<{ partition: number; offset: string }>> {
  const producer = kafka.producer({ idempotent: true, transactionalId: `ipscope-backfill-${job}`, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  producers.push(producer);
  await producer.connect();
  return new TransactionalWriter(producer, topic, job).fence([0, 1]);
}

describe('wasTakenOver', () => {
  it('is false while a run holds its job, true once a second run has claimed it, and never mixes jobs up', async () => {
    const job = `job-${randomUUID().slice(0, 8)}`;
    const other = `${job}-other`;
    const first = await claim(job);
    const otherBarriers = await claim(other);
    expect(await wasTakenOver(kafka, admin, topic, job, first, 1_000)).toBe(false);

    const second = await claim(job);
    expect(second.every((b, i) => BigInt(b.offset) > BigInt(first[i]?.offset ?? '0'))).toBe(true);
    expect(await wasTakenOver(kafka, admin, topic, job, first, 1_000)).toBe(true);
    expect(await wasTakenOver(kafka, admin, topic, job, second, 1_000)).toBe(false);
    // Another job's claim came before and after: its own barriers are still its newest.
    expect(await wasTakenOver(kafka, admin, topic, other, otherBarriers, 1_000)).toBe(false);
  });
});
