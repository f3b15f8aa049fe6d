import { spawn, type ChildProcess } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import type { Redis } from 'ioredis';
import { fetchTopicOffsets } from '../../kafka/topicOffsets';
import { decodeZeekConnJson } from '@ipscope/events';
import type { CompiledCatalog } from '@ipscope/metrics';
import type { Store } from '@ipscope/timeseries';
import { connectProducer, ensureTopic, publishRecords, repoRoot, waitFor, ZeekConnGenerator, type ZeekConnRecord } from '@ipscope/testkit';

/**
 * Test support for the ingest suites: a known event set, the totals it must produce,
 * the worker as a real child process (so it can be killed), and "done" detection from
 * the store's own fences.
 */

/** A deterministic half hour of Zeek conn records, well in the past (retention follows the data). */
export function knownRecords(seed: number, ratePerSecond: number, seconds = 1800): ZeekConnRecord[] {
  const from = Date.UTC(2026, 10, 2, 12, 0, 0) / 1000;
  return [...new ZeekConnGenerator({ seed }).between(from, from + seconds, ratePerSecond)];
}

/**
 * metric → entity → total, for every additive (count/histogram) metric, computed in memory; a
 * weighted histogram's total is the sum of its weights.
 */
export type Totals = Map<string, Map<string, number>>;

export function expectedTotals(records: readonly ZeekConnRecord[], catalog: CompiledCatalog): Totals {
  const totals: Totals = new Map();
  const additive = new Set(catalog.metrics.filter((m) => m.definition.type === 'count' || m.definition.type === 'histogram').map((m) => m.name));
  for (const record of records) {
    const decoded = decodeZeekConnJson(JSON.stringify(record));
    if (!decoded.ok || decoded.kind !== 'event') throw new Error(`test data did not decode: ${JSON.stringify(decoded)}`);
    for (const s of catalog.samples(decoded.event)) {
      if (!additive.has(s.metric)) continue;
      let byEntity = totals.get(s.metric);
      if (!byEntity) totals.set(s.metric, (byEntity = new Map()));
      // a count adds its value; a histogram sample adds its weight (bytes per peer) or 1
      byEntity.set(s.entity, (byEntity.get(s.entity) ?? 0) + (typeof s.value === 'number' && catalogType(catalog, s.metric) === 'count' ? s.value : (s.weight ?? 1)));
    }
  }
  return totals;
}

function catalogType(catalog: CompiledCatalog, metric: string): string | undefined {
  return catalog.metrics.find((m) => m.name === metric)?.definition.type;
}

/**
 * The same totals read back from the store over the whole retained range: counts from the
 * top-N index, histograms (which keep no top index) per listed entity, collapsed.
 */
export async function storedTotals(store: Store, catalog: CompiledCatalog): Promise<Totals> {
  const totals: Totals = new Map();
  for (const m of catalog.metrics) {
    const interval = m.definition.intervals[0] ?? 'days';
    let entries: Array<[string, number]> = [];
    if (m.definition.type === 'count') {
      entries = (await store.top({ metric: m.name, interval, limit: 10_000 })).map((e) => [e.entity, e.value]);
    } else if (m.definition.type === 'histogram') {
      const entities = await store.entities({ metric: m.name, limit: 10_000 });
      entries = await Promise.all(
        entities.map(async (entity): Promise<[string, number]> => {
          const r = await store.series({ metric: m.name, entity, interval, collapse: true, transform: 'count' });
          return [entity, Number(r.points[0]?.value ?? 0)];
        }),
      );
    } else continue;
    entries = entries.filter(([, v]) => v !== 0);
    if (entries.length > 0) totals.set(m.name, new Map(entries));
  }
  return totals;
}

/**
 * Publishes `records` to a topic (created if missing) and checks that the topic grew by exactly
 * that many messages, so a test's exact totals compare with what Kafka really holds (a duplicate
 * there would look like the worker counting twice).
 */
export async function publishKnown(brokers: string, topic: string, records: readonly ZeekConnRecord[], partitions = 3): Promise<void> {
  await ensureTopic(brokers, topic, partitions);
  const before = await heldMessages(brokers, topic);
  const producer = await connectProducer(brokers);
  try {
    await publishRecords(producer, topic, records, 500);
  } finally {
    await producer.disconnect();
  }
  const added = (await heldMessages(brokers, topic)) - before;
  if (added !== records.length) throw new Error(`test set-up: topic ${topic} grew by ${added} messages when ${records.length} were published`);
}

/** Messages a topic holds (sum over partitions of high minus low watermark). */
async function heldMessages(brokers: string, topic: string): Promise<number> {
  const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await fetchTopicOffsets(admin, topic)).reduce((n, o) => n + Number(o.high) - Number(o.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Last offset of each partition of a topic (high watermark − 1). */
export async function lastOffsets(brokers: string, topic: string): Promise<Map<number, number>> {
  const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const offsets = await fetchTopicOffsets(admin, topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high) - 1]));
  } finally {
    await admin.disconnect();
  }
}

/** Sum over partitions of the offsets the store has applied (−1 per partition with none). */
export async function appliedProgress(store: Store, topic: string, partitions: readonly number[]): Promise<number> {
  let sum = 0;
  for (const p of partitions) sum += (await store.fenceToken(`${topic}/${p}`)) ?? -1;
  return sum;
}

/** Waits until the store's fence of every non-empty partition reaches its last offset. */
export async function waitUntilApplied(store: Store, brokers: string, topic: string, timeoutMs = 90_000): Promise<void> {
  const last = await lastOffsets(brokers, topic);
  await waitFor(
    `the store to hold every message of ${topic}`,
    async () => {
      for (const [partition, offset] of last) {
        if (offset < 0) continue;
        const fence = await store.fenceToken(`${topic}/${partition}`);
        if (fence === null || fence < offset) return false;
      }
      return true;
    },
    { timeoutMs, intervalMs: 250 },
  );
}

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts `apps/server/src/main.ts` in the ingest role as a child process: node itself with tsx's
 * loader, so the child is the worker and a SIGKILL sent to it kills the worker (the `tsx` command
 * runs the program in a second process, which a SIGKILL of the first leaves running).
 */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: repoRoot(),
    env: { ...process.env, IPSCOPE_ROLES: 'ingest', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Deletes every key of a store prefix (test clean-up; SCAN is fine outside request paths). */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  for (const pattern of [`{${prefix}:*`, `{${prefix}}*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  }
}

/** Every key of a store prefix with its DUMP: what an append-only file holding this moment keeps. */
export async function snapshotPrefix(redis: Redis, prefix: string): Promise<Map<string, Buffer>> {
  const kept = new Map<string, Buffer>();
  for (const pattern of [`{${prefix}:*`, `{${prefix}}*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const dump = await redis.dumpBuffer(key);
        if (dump) kept.set(key, dump);
      }
    } while (cursor !== '0');
  }
  return kept;
}

/** Puts a store prefix back to a snapshot: Redis lost every write made after it. */
export async function restorePrefix(redis: Redis, prefix: string, kept: ReadonlyMap<string, Buffer>): Promise<void> {
  await dropPrefix(redis, prefix);
  for (const [key, dump] of kept) await redis.restore(key, 0, dump);
}

export async function deleteTopics(brokers: string, topics: string[]): Promise<void> {
  const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
}

/** Compares two totals maps; returns a short description of the first differences, or ''. */
export function diffTotals(expected: Totals, actual: Totals): string {
  const problems: string[] = [];
  for (const [metric, byEntity] of expected) {
    const got = actual.get(metric) ?? new Map<string, number>();
    for (const [entity, value] of byEntity) {
      if (got.get(entity) !== value) problems.push(`${metric} ${entity}: expected ${value}, stored ${got.get(entity) ?? 0}`);
    }
    for (const [entity, value] of got) if (!byEntity.has(entity)) problems.push(`${metric} ${entity}: unexpected ${value}`);
  }
  for (const metric of actual.keys()) if (!expected.has(metric)) problems.push(`${metric}: unexpected metric`);
  return problems.slice(0, 10).join('\n');
}
