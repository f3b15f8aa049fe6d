import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { waitFor } from '@ipscope/testkit';
import { openStore } from '../storeSetup';
import {
  appliedProgress,
  deleteTopics,
  diffTotals,
  dropPrefix,
  expectedTotals,
  knownRecords,
  lastOffsets,
  publishKnown,
  restorePrefix,
  snapshotPrefix,
  spawnWorker,
  storedTotals,
  waitUntilApplied,
  type WorkerProcess,
} from './testing/harness';

/**
 * The worker as a real process, killed and restarted while it consumes: whatever happens,
 * the store ends with exactly the totals of the event set.
 */
const run = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
const brokers = () => inject('kafkaBrokers');
let redis: Redis;
const cleanup: Array<() => Promise<unknown>> = [];
const records = knownRecords(33, 24);
/**
 * Each scenario starts up to three worker processes (tsx compiles the server at every start): the
 * SIGKILL one took 120 s and more at load averages of 10–17 on the shared two cores.
 */
const FAULT_TEST_MS = 300_000;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});

afterAll(async () => {
  for (const c of cleanup) await c().catch(() => undefined);
  await redis.quit();
});

async function scenario(name: string) {
  const topic = `it.faults.${name}.${run}`;
  const prefix = `itf${name}${run}`;
  const group = `it-faults-${name}-${run}`;
  cleanup.push(() => dropPrefix(redis, prefix), () => deleteTopics(brokers(), [topic, `${topic}.dlq`]));
  await publishKnown(brokers(), topic, records, 3);
  const { store, catalog } = openStore(redis, prefix);
  const last = await lastOffsets(brokers(), topic);
  const partitions = [...last.keys()];
  const total = [...last.values()].reduce((s, o) => s + o, 0);
  const env = {
    REDIS_URL: inject('redisUrl'),
    KAFKA_BROKERS: brokers(),
    IPSCOPE_TOPICS: `${topic}:zeek`,
    IPSCOPE_GROUP: group,
    IPSCOPE_PREFIX: prefix,
    // Small batches, so that a kill lands between and inside many batch writes.
    IPSCOPE_FETCH_BYTES: '32768',
  };
  const progressAbove = (share: number) =>
    waitFor(`progress above ${share * 100} %`, async () => (await appliedProgress(store, topic, partitions)) > share * total, { timeoutMs: 90_000, intervalMs: 50 });
  const finish = async () => {
    await waitUntilApplied(store, brokers(), topic);
    expect(diffTotals(expectedTotals(records, catalog), await storedTotals(store, catalog))).toBe('');
  };
  const start = () => {
    const worker = spawnWorker(env);
    cleanup.push(async () => worker.child.kill('SIGKILL'));
    return worker;
  };
  return { topic, group, store, start, progressAbove, finish };
}

async function killed(worker: WorkerProcess, signal: NodeJS.Signals): Promise<number | null> {
  worker.child.kill(signal);
  return worker.exited;
}

describe('ingest under faults (worker as a child process, real Kafka and Redis)', () => {
  it('leaves exactly the totals of an uninterrupted run after SIGKILLs mid-stream', async () => {
    const s = await scenario('kill');
    const first = s.start();
    await s.progressAbove(0.2);
    await killed(first, 'SIGKILL');
    const second = s.start();
    await s.progressAbove(0.55);
    await killed(second, 'SIGKILL');
    const third = s.start();
    await s.finish();
    expect(await killed(third, 'SIGTERM')).toBe(0);
  }, FAULT_TEST_MS);

  it('on SIGTERM finishes the batch in flight, commits it, and exits 0', async () => {
    const s = await scenario('term');
    const worker = s.start();
    await s.progressAbove(0.3);
    expect(await killed(worker, 'SIGTERM')).toBe(0);
    expect(worker.output()).toContain('"msg":"stopped"');

    // What Kafka has committed for the group is exactly what the store holds.
    const admin = new Kafka({ brokers: brokers().split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId: s.group, topics: [s.topic] });
    await admin.disconnect();
    for (const p of committed[0]!.partitions) {
      const fence = await s.store.fenceToken(`${s.topic}/${p.partition}`);
      expect(Number(p.offset), worker.output().slice(-4000)).toBe(fence === null ? -1 : fence + 1);
    }
    const again = s.start();
    await s.finish();
    expect(await killed(again, 'SIGTERM')).toBe(0);
  }, FAULT_TEST_MS);

  it('refills from Kafka what Redis lost behind the worker\'s back (no dropped connection, no error seen)', async () => {
    const topic = `it.faults.behind.${run}`;
    const prefix = `itfbehind${run}`;
    cleanup.push(() => dropPrefix(redis, prefix), () => deleteTopics(brokers(), [topic, `${topic}.dlq`]));
    const third = Math.floor(records.length / 3);
    const thirds = [records.slice(0, third), records.slice(third, 2 * third), records.slice(2 * third)];
    const { store, catalog } = openStore(redis, prefix);
    await publishKnown(brokers(), topic, thirds[0]!, 3);
    const worker = spawnWorker({
      REDIS_URL: inject('redisUrl'),
      KAFKA_BROKERS: brokers(),
      IPSCOPE_TOPICS: `${topic}:zeek`,
      IPSCOPE_GROUP: `it-faults-behind-${run}`,
      IPSCOPE_PREFIX: prefix,
    });
    cleanup.push(async () => worker.child.kill('SIGKILL'));
    await waitUntilApplied(store, brokers(), topic);
    const kept = await snapshotPrefix(redis, prefix);
    await publishKnown(brokers(), topic, thirds[1]!, 3);
    await waitUntilApplied(store, brokers(), topic);
    // Redis goes back to the first third (a failover to a replica that lagged, say): the
    // worker's connection stays up, so only the fences it saw before can tell it.
    await restorePrefix(redis, prefix, kept);
    await publishKnown(brokers(), topic, thirds[2]!, 3);
    await waitUntilApplied(store, brokers(), topic);
    expect(diffTotals(expectedTotals(records, catalog), await storedTotals(store, catalog))).toBe('');
    expect(worker.output()).toContain('went back from');
    expect(worker.output()).toContain('store is behind the committed offset; seeking back to refill');
    expect(await killed(worker, 'SIGTERM')).toBe(0);
  }, FAULT_TEST_MS);

  it('shares partitions between two workers and survives their rebalances without loss or double counting', async () => {
    const s = await scenario('rebalance');
    const a = s.start();
    await s.progressAbove(0.15);
    const b = s.start();
    await s.progressAbove(0.45);
    expect(await killed(a, 'SIGTERM')).toBe(0);
    await s.finish();
    expect(b.output()).toContain('joined consumer group');
    expect(await killed(b, 'SIGTERM')).toBe(0);
  }, FAULT_TEST_MS);
});
