import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { cacheDir, startKafkaBroker, startRedisServer, waitFor, type RunningKafka, type RunningRedis } from '@ipscope/testkit';
import { openStore } from '../storeSetup';
import { appliedProgress, diffTotals, expectedTotals, knownRecords, lastOffsets, publishKnown, spawnWorker, storedTotals, waitUntilApplied } from './testing/harness';

/**
 * Redis and the Kafka broker themselves fail while the worker consumes. The suite runs its
 * own Redis (append-only file, as ipscope runs it) and its own broker, so it can stop them.
 */
const run = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
const records = knownRecords(44, 24);
const cleanup: Array<() => Promise<unknown>> = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-restarts-'));

afterAll(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A copy of Redis' append-only files as they are now: what a crash a moment later would keep. */
function snapshotAof(redisDir: string, to: string): void {
  fs.cpSync(path.join(redisDir, 'appendonlydir'), to, { recursive: true });
}

function restoreAof(redisDir: string, from: string): void {
  const dir = path.join(redisDir, 'appendonlydir');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(from, dir, { recursive: true });
}

describe('ingest when Redis or the broker fail (real processes)', () => {
  it('refills from Kafka what Redis lost when it comes back without its last writes, and rides out an outage', async () => {
    const brokers = inject('kafkaBrokers');
    let redisServer: RunningRedis = await startRedisServer({ dir: path.join(tmp, 'redis') });
    cleanup.push(() => redisServer.stop());
    const topic = `it.redisloss.${run}`;
    await publishKnown(brokers, topic, records, 3);
    const last = await lastOffsets(brokers, topic);
    const total = [...last.values()].reduce((s, o) => s + o, 0);

    const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    redis.on('error', () => undefined);
    await redis.connect();
    cleanup.push(() => redis.quit());
    const { store, catalog } = openStore(redis, 'loss');
    const progress = () => appliedProgress(store, topic, [...last.keys()]);
    const worker = spawnWorker({
      REDIS_URL: redisServer.url,
      KAFKA_BROKERS: brokers,
      IPSCOPE_TOPICS: `${topic}:zeek`,
      IPSCOPE_GROUP: `it-redisloss-${run}`,
      IPSCOPE_PREFIX: 'loss',
      IPSCOPE_FETCH_BYTES: '32768',
    });
    cleanup.push(async () => worker.child.kill('SIGKILL'));

    await waitFor('30 % applied', async () => (await progress()) > 0.3 * total, { timeoutMs: 90_000, intervalMs: 50 });
    const appliedThen = await progress();
    snapshotAof(redisServer.dir, path.join(tmp, 'aof-at-30'));
    await waitFor('60 % applied', async () => (await progress()) > 0.6 * total, { timeoutMs: 90_000, intervalMs: 50 });

    // Redis dies and comes back having lost every write since the 30 % mark.
    process.kill(redisServer.pid, 'SIGKILL');
    await waitFor('redis to exit', async () => {
      try {
        process.kill(redisServer.pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    restoreAof(redisServer.dir, path.join(tmp, 'aof-at-30'));
    await new Promise((r) => setTimeout(r, 2000));
    redisServer = await startRedisServer({ dir: redisServer.dir, port: redisServer.port });
    await waitFor('redis to answer again', async () => (await redis.ping().catch(() => '')) === 'PONG');
    const appliedAfterLoss = await progress();
    expect(appliedAfterLoss).toBeLessThan(0.6 * total);
    expect(appliedAfterLoss).toBeGreaterThanOrEqual(appliedThen);

    // And a plain outage: Redis stopped for a few seconds while the worker retries.
    await waitFor('80 % applied', async () => (await progress()) > 0.8 * total, { timeoutMs: 90_000, intervalMs: 50 });
    await redisServer.stop();
    await new Promise((r) => setTimeout(r, 3000));
    redisServer = await startRedisServer({ dir: redisServer.dir, port: redisServer.port });

    await waitUntilApplied(store, brokers, topic, 120_000);
    expect(diffTotals(expectedTotals(records, catalog), await storedTotals(store, catalog))).toBe('');
    expect(worker.output()).toContain('store is behind the committed offset; seeking back to refill');
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 300_000);

  it('reconnects and resumes when the Kafka broker restarts mid-stream', async () => {
    const kafkaDir = path.join(tmp, 'kafka');
    let broker: RunningKafka = await startKafkaBroker({ dir: kafkaDir, jarCacheDir: cacheDir(), heap: '512m' });
    cleanup.push(() => broker.stop());
    const topic = `it.brokerrestart.${run}`;
    await publishKnown(broker.brokers, topic, records, 3);
    const last = await lastOffsets(broker.brokers, topic);
    const total = [...last.values()].reduce((s, o) => s + o, 0);

    const redis = new Redis(inject('redisUrl'));
    cleanup.push(() => redis.quit());
    const prefix = `itb${run}`;
    const { store, catalog } = openStore(redis, prefix);
    const worker = spawnWorker({
      REDIS_URL: inject('redisUrl'),
      KAFKA_BROKERS: broker.brokers,
      IPSCOPE_TOPICS: `${topic}:zeek`,
      IPSCOPE_GROUP: `it-brokerrestart-${run}`,
      IPSCOPE_PREFIX: prefix,
      IPSCOPE_FETCH_BYTES: '32768',
    });
    cleanup.push(async () => worker.child.kill('SIGKILL'));

    await waitFor('30 % applied', async () => (await appliedProgress(store, topic, [...last.keys()])) > 0.3 * total, { timeoutMs: 90_000, intervalMs: 50 });
    await broker.stop();
    await new Promise((r) => setTimeout(r, 2000));
    broker = await startKafkaBroker({ dir: kafkaDir, jarCacheDir: cacheDir(), heap: '512m', port: broker.port, controllerPort: broker.controllerPort });

    await waitUntilApplied(store, broker.brokers, topic, 180_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${worker.output().slice(-3000)}`);
    });
    expect(diffTotals(expectedTotals(records, catalog), await storedTotals(store, catalog))).toBe('');
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
  }, 300_000);
});
