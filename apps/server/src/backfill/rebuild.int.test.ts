import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { defaultCatalog, type MetricDefinition } from '@ipscope/metrics';
import { repoRoot, type ZeekConnRecord } from '@ipscope/testkit';
import { createLogger } from '../log';
import { openStore } from '../storeSetup';
import { startIngestWorker, type IngestWorker } from '../ingest/ingestWorker';
import { createIngestMetrics } from '../ingest/ingestMetrics';
import { catalogSampleMapper } from '../ingest/sampleMapper';
import { topicDecoder } from '../ingest/decoders';
import { deleteTopics, diffTotals, dropPrefix, expectedTotals, knownRecords, publishKnown, storedTotals, waitUntilApplied, type Totals } from '../ingest/testing/harness';
import { parseBackfillArgs, type BackfillOptions } from './options';
import { runBackfill, type BackfillResult } from './runBackfill';

/**
 * A changed metric rebuilt over the past, end to end (real Kafka, Redis, ingest workers):
 * `conn.bytes.orig` first counted both directions (the default catalog), then only the bytes the
 * originator sent. Live workers counted with the old definition until R, when they restarted
 * with the new one; `backfill --rebuild --before R` deletes the metric before the cut (R rounded
 * down to the metrics' 30-minute bucket boundary) and replays the archive's events before it.
 * The rebuilt metric must then hold exactly: the new definition before the cut, the old one
 * between the cut and R (live, untouched), the new one after R (live, not doubled); every other
 * metric exactly what it held.
 */
const METRIC = 'conn.bytes.orig';
const T0 = Date.UTC(2026, 10, 2, 12, 0, 0) / 1000;
const R = T0 + 6000;
const CUT = T0 + 5400;
const run = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-rebuild-'));
const archive = path.join(tmp, 'archive');
const records = knownRecords(77, 1, 7200);
const newDefinitions: MetricDefinition[] = defaultCatalog.map((d) => (d.name === METRIC ? { ...d, version: 2, value: { field: 'origBytes' } } : d));
let redis: Redis;
const topics: string[] = [];
const prefixes: string[] = [];

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
  fs.mkdirSync(archive, { recursive: true });
  fs.writeFileSync(path.join(archive, 'conn.json'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
});

afterAll(async () => {
  for (const p of prefixes) await dropPrefix(redis, p);
  await redis.quit();
  await deleteTopics(inject('kafkaBrokers'), topics);
  fs.rmSync(tmp, { recursive: true, force: true });
});

function tsOf(r: ZeekConnRecord): number {
  return r.ts;
}

function add(into: Totals, from: Totals, metric: string): void {
  const source = from.get(metric);
  if (!source) return;
  let target = into.get(metric);
  if (!target) into.set(metric, (target = new Map()));
  for (const [entity, v] of source) target.set(entity, (target.get(entity) ?? 0) + v);
}

/** What the store must hold after the rebuild. */
function expected(): Totals {
  const { catalog: oldCatalog } = openStore(redis, 'unused');
  const { catalog: newCatalog } = openStore(redis, 'unused', newDefinitions);
  const totals = expectedTotals(records, oldCatalog);
  totals.delete(METRIC);
  add(totals, expectedTotals(records.filter((r) => tsOf(r) < CUT || tsOf(r) >= R), newCatalog), METRIC);
  add(totals, expectedTotals(records.filter((r) => tsOf(r) >= CUT && tsOf(r) < R), oldCatalog), METRIC);
  return totals;
}

interface Scenario {
  brokers: string;
  prefix: string;
  live: string;
  backfill: string;
  argv: string[];
}

async function startWorker(prefix: string, definitions: readonly MetricDefinition[] | undefined, topicNames: string[], group: string): Promise<IngestWorker> {
  const { store, catalog } = openStore(redis, prefix, definitions);
  return startIngestWorker({
    brokers: inject('kafkaBrokers').split(','),
    topics: topicNames.map((topic, i) => ({ topic, format: i === 0 ? 'zeek' : 'netevent' })),
    group,
    store,
    decoderFor: topicDecoder,
    toSamples: catalogSampleMapper(catalog),
    metrics: createIngestMetrics(new Registry()),
    log: createLogger('test', 'warn'),
  });
}

/**
 * Live history with the old definition up to R, then live workers with the new one (publishing
 * the events from R on while the rebuild runs), the rebuild itself, and the totals afterwards.
 */
async function scenario(name: string, rebuild: (s: Scenario, applyBackfill: () => Promise<void>) => Promise<void>): Promise<void> {
  const brokers = inject('kafkaBrokers');
  const s: Scenario = {
    brokers,
    prefix: `itrb${name}${run}`,
    live: `it.rebuild.live.${name}.${run}`,
    backfill: `it.rebuild.bf.${name}.${run}`,
    argv: [],
  };
  prefixes.push(s.prefix);
  topics.push(s.live, s.backfill, `${s.backfill}.dlq`, `it.rebuild.checkpoints.${name}.${run}`);
  s.argv = [
    '--rebuild',
    '--metrics',
    METRIC,
    '--before',
    new Date(R * 1000).toISOString(),
    '--brokers',
    brokers,
    '--topic',
    s.backfill,
    '--checkpoint-topic',
    `it.rebuild.checkpoints.${name}.${run}`,
    '--partitions',
    '3',
    '--redis',
    inject('redisUrl'),
    '--prefix',
    s.prefix,
    archive,
  ];
  const { store } = openStore(redis, s.prefix, newDefinitions);

  await publishKnown(brokers, s.live, records.filter((r) => tsOf(r) < R));
  const old = await startWorker(s.prefix, undefined, [s.live], `it-rebuild-${name}-${run}`);
  try {
    await waitUntilApplied(store, brokers, s.live);
  } finally {
    await old.stop();
  }
  const { catalog: oldCatalog } = openStore(redis, 'unused');
  expect(diffTotals(expectedTotals(records.filter((r) => tsOf(r) < R), oldCatalog), await storedTotals(store, oldCatalog))).toBe('');

  // the live workers restart with the new definition at R, and also consume the backfill topic
  const worker = await startWorker(s.prefix, newDefinitions, [s.live, s.backfill], `it-rebuild-${name}-${run}`);
  try {
    await publishKnown(brokers, s.live, records.filter((r) => tsOf(r) >= R));
    await rebuild(s, () => waitUntilApplied(store, brokers, s.backfill));
    await waitUntilApplied(store, brokers, s.backfill);
    await waitUntilApplied(store, brokers, s.live);
  } finally {
    await worker.stop();
  }
  const { catalog: newCatalog } = openStore(redis, 'unused', newDefinitions);
  expect(diffTotals(expected(), await storedTotals(store, newCatalog))).toBe('');
}

function optionsOf(argv: string[]): BackfillOptions {
  const parsed = parseBackfillArgs(argv, {});
  if (parsed.help) throw new Error('unexpected help');
  return parsed.options;
}

/** Runs the job in-process, aborting it once `stopWhen` says so; returns the result. */
async function runUntil(options: BackfillOptions, stopWhen: (noun: string, lines: number) => boolean): Promise<BackfillResult> {
  const controller = new AbortController();
  return runBackfill(options, {
    signal: controller.signal,
    definitions: newDefinitions,
    onProgress: (snapshot) => {
      const s = snapshot();
      if (!controller.signal.aborted && stopWhen(s.noun, s.lines)) controller.abort(new Error('test interrupt'));
    },
  });
}

describe('backfill --rebuild of a changed metric (real Kafka, Redis and workers)', () => {
  it('the expected totals differ from the old ones only in the rebuilt metric', () => {
    const { catalog } = openStore(redis, 'unused');
    const old = expectedTotals(records, catalog);
    const now = expected();
    expect(now.get(METRIC)).not.toEqual(old.get(METRIC));
    for (const [metric, totals] of old) if (metric !== METRIC) expect(now.get(metric)).toEqual(totals);
    // events fall on both sides of the cut and of R
    expect(records.filter((r) => tsOf(r) >= CUT && tsOf(r) < R).length).toBeGreaterThan(100);
    expect(records.filter((r) => tsOf(r) >= R).length).toBeGreaterThan(100);
  });

  it('bin/ipscope backfill --rebuild: exact totals for the rebuilt metric and unchanged ones for the others', async () => {
    await scenario('cli', async (s) => {
      const cli = spawnSync(path.join(repoRoot(), 'bin/ipscope'), ['backfill', ...s.argv, '--json'], { encoding: 'utf8', timeout: 180_000 });
      expect(cli.status, cli.stderr).toBe(0);
      const summary = JSON.parse(cli.stdout.trim().split('\n').at(-1) ?? '{}') as { rebuild: { deletedNow: boolean; removed: number; window: { since: null; before: number } }; skipped: Record<string, number>; events: number };
      expect(summary.rebuild).toMatchObject({ deletedNow: true, window: { since: null, before: CUT } });
      expect(summary.rebuild.removed).toBeGreaterThan(0);
      expect(summary.events).toBe(records.filter((r) => tsOf(r) < CUT).length);
      expect(summary.skipped['outside_window']).toBe(records.filter((r) => tsOf(r) >= CUT).length);
      expect(cli.stderr).toContain(`rebuild of ${METRIC} over everything before ${new Date(CUT * 1000).toISOString().replace('.000Z', 'Z')}`);
    });
  }, 300_000);

  it('interrupted while replaying and resumed (after the workers applied the first part): the delete is not repeated, totals exact', async () => {
    await scenario('resume', async (s, applied) => {
      const options = optionsOf([...s.argv, '--chunk', '400']);
      const first = await runUntil(options, (noun, lines) => noun === 'lines' && lines > 1500);
      expect(first.status).toBe('interrupted');
      expect(first.rebuild?.deletedNow).toBe(true);
      expect(first.checkpoint.rebuild).toMatchObject({ deleted: true, before: CUT });
      await applied();
      const second = await runUntil(options, () => false);
      expect(second.status).toBe('completed');
      expect(second.rebuild).toMatchObject({ deletedNow: false, removed: 0 });
    });
  }, 300_000);

  it('interrupted while deleting and resumed: the delete runs again before anything is replayed, totals exact', async () => {
    await scenario('middelete', async (s) => {
      const options = optionsOf(s.argv);
      const first = await runUntil(options, (noun) => noun === 'series chunks deleted');
      expect(first.status).toBe('interrupted');
      expect(first.rebuild).toBeUndefined();
      expect(first.checkpoint.rebuild).toMatchObject({ deleted: false, before: CUT });
      expect(first.stats.events).toBe(0);
      const second = await runUntil(options, () => false);
      expect(second.status).toBe('completed');
      expect(second.rebuild?.deletedNow).toBe(true);
    });
  }, 300_000);

  it("--from-topic: rebuilt from the live topic's retained history, events after the cut skipped by their time", async () => {
    await scenario('topic', async (s) => {
      const argv = [...s.argv.filter((a) => a !== archive), '--from-topic', s.live, '--format', 'zeek'];
      const result = await runUntil(optionsOf(argv), () => false);
      expect(result.status).toBe('completed');
      expect(result.rebuild?.deletedNow).toBe(true);
      expect(result.stats.messagesCopied).toBe(records.filter((r) => tsOf(r) < CUT).length);
      expect(result.stats.skipped['outside_window']).toBe(records.length - result.stats.messagesCopied);
    });
  }, 300_000);

  it('refuses to resume a rebuild with a different cut', async () => {
    const brokers = inject('kafkaBrokers');
    const name = 'refuse';
    const prefix = `itrb${name}${run}`;
    prefixes.push(prefix);
    topics.push(`it.rebuild.bf.${name}.${run}`, `it.rebuild.bf.${name}.${run}.dlq`, `it.rebuild.checkpoints.${name}.${run}`);
    const base = ['--rebuild', '--metrics', METRIC, '--brokers', brokers, '--topic', `it.rebuild.bf.${name}.${run}`, '--checkpoint-topic', `it.rebuild.checkpoints.${name}.${run}`, '--partitions', '1'];
    const tail = ['--redis', inject('redisUrl'), '--prefix', prefix, '--job', `rb-${run}`, archive];
    const first = await runUntil(optionsOf([...base, '--before', String(R), ...tail]), () => false);
    expect(first.status).toBe('completed');
    const error = await runUntil(optionsOf([...base, '--before', String(R + 3600), ...tail]), () => false).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'checkpoint' });
    expect((error as Error).message).toMatch(/started as a rebuild of conn\.bytes\.orig over everything before .*; this run asks for/);
  }, 120_000);

  it('refuses to delete while another run of the job holds the delete phase, deleting nothing', async () => {
    const brokers = inject('kafkaBrokers');
    const name = 'locked';
    const prefix = `itrb${name}${run}`;
    prefixes.push(prefix);
    topics.push(`it.rebuild.bf.${name}.${run}`, `it.rebuild.bf.${name}.${run}.dlq`, `it.rebuild.checkpoints.${name}.${run}`);
    const { store } = openStore(redis, prefix);
    await store.bulkInsert([{ metric: METRIC, entity: '10.0.0.1', ts: T0 + 60, value: 5 }]);
    const job = `rbl-${run}`;
    await redis.set(`ipscope:rebuild-lock:${prefix}:${job}`, 'another-run', 'PX', 60_000);
    const argv = ['--rebuild', '--metrics', METRIC, '--before', String(R), '--brokers', brokers, '--topic', `it.rebuild.bf.${name}.${run}`, '--checkpoint-topic', `it.rebuild.checkpoints.${name}.${run}`, '--partitions', '1', '--redis', inject('redisUrl'), '--prefix', prefix, '--job', job, archive];
    const error = await runUntil(optionsOf(argv), () => false).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'fenced' });
    expect((error as Error).message).toMatch(/another run of job rbl-\d+ is deleting conn\.bytes\.orig/);
    expect((await store.get({ metric: METRIC, entity: '10.0.0.1', interval: 'days', ts: T0 + 60 })).value).toBe(5);
    await redis.del(`ipscope:rebuild-lock:${prefix}:${job}`);
    const after = await runUntil(optionsOf(argv), () => false);
    expect(after.rebuild?.deletedNow).toBe(true);
    expect((await store.get({ metric: METRIC, entity: '10.0.0.1', interval: 'days', ts: T0 + 60 })).value).toBe(0);
    expect(await redis.exists(`ipscope:rebuild-lock:${prefix}:${job}`)).toBe(0);
  }, 120_000);
});
