import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { repoRoot } from '@ipscope/testkit';
import { createLogger } from '../log';
import { openStore } from '../storeSetup';
import { startIngestWorker } from './ingestWorker';
import { createIngestMetrics } from './ingestMetrics';
import { catalogSampleMapper } from './sampleMapper';
import { topicDecoder } from './decoders';
import { deleteTopics, diffTotals, dropPrefix, expectedTotals, knownRecords, storedTotals, waitUntilApplied, type Totals } from './testing/harness';

/**
 * Archive → `ipscope backfill` → Kafka → the same ingest worker → store: the totals of the
 * archive, exactly; and a backfill of chosen metrics fills those and touches no other.
 */
const run = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-backfill-ingest-'));
const records = knownRecords(55, 6);
let redis: Redis;
const topics: string[] = [];
const prefixes: string[] = [];

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
  const half = Math.floor(records.length / 2);
  fs.mkdirSync(path.join(tmp, 'archive', 'day1'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'archive', 'day2'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'archive', 'day1', 'conn.json'), records.slice(0, half).map((r) => JSON.stringify(r)).join('\n') + '\n');
  fs.writeFileSync(path.join(tmp, 'archive', 'day2', 'conn.json.gz'), zlib.gzipSync(records.slice(half).map((r) => JSON.stringify(r)).join('\n') + '\n'));
});

afterAll(async () => {
  for (const p of prefixes) await dropPrefix(redis, p);
  await redis.quit();
  await deleteTopics(inject('kafkaBrokers'), topics.flatMap((t) => [t, `${t}.dlq`]));
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function backfillAndIngest(name: string, extra: string[], before?: (prefix: string) => Promise<void>): Promise<Totals> {
  const brokers = inject('kafkaBrokers');
  const topic = `it.backfill.${name}.${run}`;
  const prefix = `itbf${name}${run}`;
  topics.push(topic);
  prefixes.push(prefix);
  await before?.(prefix);
  const cli = spawnSync(path.join(repoRoot(), 'bin/ipscope'), ['backfill', '--brokers', brokers, '--topic', topic, '--checkpoint-topic', `it.backfill.checkpoints.${run}`, '--partitions', '3', ...extra.map((a) => a.replace('$PREFIX', prefix)), path.join(tmp, 'archive')], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(cli.status, cli.stderr).toBe(0);

  const { store, catalog } = openStore(redis, prefix);
  const worker = await startIngestWorker({
    brokers: brokers.split(','),
    topics: [{ topic, format: 'netevent' }],
    group: `it-backfill-${name}-${run}`,
    store,
    decoderFor: topicDecoder,
    toSamples: catalogSampleMapper(catalog),
    metrics: createIngestMetrics(new Registry()),
    log: createLogger('test', 'warn'),
  });
  try {
    await waitUntilApplied(store, brokers, topic);
  } finally {
    await worker.stop();
  }
  return storedTotals(store, catalog);
}

describe('backfill through the ingest worker (real Kafka and Redis)', () => {
  it('stores exactly the totals of the archived records (plain and .gz, nested folders)', async () => {
    const { catalog } = openStore(redis, 'unused');
    expect(diffTotals(expectedTotals(records, catalog), await backfillAndIngest('all', []))).toBe('');
  });

  it('fills only the metrics a backfill names, a byte-weighted peer histogram with its exact byte sums', async () => {
    const { catalog } = openStore(redis, 'unused');
    const only = new Set(['conn.count.orig', 'conn.state.resp', 'conn.peer.orig.bytes']);
    const expected: Totals = new Map([...expectedTotals(records, catalog)].filter(([metric]) => only.has(metric)));
    const stored = await backfillAndIngest('some', ['--metrics', [...only].join(',')]);
    expect([...stored.keys()].sort()).toEqual([...only].sort());
    expect(diffTotals(expected, stored)).toBe('');
  });

  it('backfill --rebuild --metrics conn.peer.orig.bytes replaces what the store held with the exact byte sums', async () => {
    const { catalog } = openStore(redis, 'unused');
    const metric = 'conn.peer.orig.bytes';
    const cut = Math.ceil(Math.max(...records.map((r) => r.ts))) + 3600;
    const stored = await backfillAndIngest(
      'rebuild',
      ['--rebuild', '--metrics', metric, '--before', String(cut), '--redis', inject('redisUrl'), '--prefix', '$PREFIX'],
      // what an older definition left: every connection counted once per peer, not its bytes
      async (prefix) => {
        const { store } = openStore(redis, prefix);
        const samples = records.map((r) => ({ metric, entity: r['id.orig_h'], ts: r.ts, value: r['id.resp_h'] }));
        await store.bulkInsert(samples);
        expect(diffTotals(new Map([[metric, expectedTotals(records, catalog).get('conn.count.orig')!]]), await storedTotals(store, catalog))).toBe('');
      },
    );
    expect([...stored.keys()]).toEqual([metric]);
    expect(diffTotals(new Map([[metric, expectedTotals(records, catalog).get(metric)!]]), stored)).toBe('');
  });
});
