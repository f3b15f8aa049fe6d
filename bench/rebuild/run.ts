/**
 * Rebuild benchmark: how fast `store.deleteMetric` removes one metric for every IP, how long its
 * longest step blocks Redis (Redis's own SLOWLOG, every command logged), and the same deletion
 * done the only way there was before — `store.delete({entity, metric})` per listed entity —
 * side by side on identical stores in one run. `pnpm bench:rebuild`. Starts its own redis-server
 * on 127.0.0.1 (ipscope's settings), stops it at the end. Progress on stderr; the last stdout
 * line is one JSON object with every figure.
 *
 *   BENCH_REBUILD_ENTITIES=3000  IPs with data
 *   BENCH_REBUILD_HOURS=12       hours of data (one sample per IP, metric and 5 minutes)
 *   BENCH_REBUILD_STEPS=100,500,2000  stepEntities values tried (one fresh store each)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startRedisServer } from '@ipscope/testkit';
import { createStore, type Sample, type Store, type StoreOptions } from '@ipscope/timeseries';

const ENTITIES = clampInt(process.env['BENCH_REBUILD_ENTITIES'], 3000, 10, 200_000);
const HOURS = clampInt(process.env['BENCH_REBUILD_HOURS'], 12, 1, 48);
const STEPS = (process.env['BENCH_REBUILD_STEPS'] ?? '100,500,2000').split(',').map((s) => clampInt(s.trim(), 500, 1, 10_000));
const T0 = Date.UTC(2026, 10, 2, 0, 0, 0) / 1000;

const METRICS: StoreOptions['metrics'] = {
  'conn.bytes.orig': { type: 'count' },
  'conn.count.orig': { type: 'count' },
  'conn.state.orig': { type: 'histogram' },
  'conn.peers.orig': { type: 'hll' },
};
const DELETED = 'conn.bytes.orig';

function clampInt(text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new Error(`expected a whole number ${min}..${max}, got ${JSON.stringify(text)}`);
  return n;
}

function log(message: string): void {
  process.stderr.write(`[bench:rebuild] ${message}\n`);
}

function entity(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

async function fill(store: Store): Promise<number> {
  let written = 0;
  let batch: Sample[] = [];
  for (let t = T0; t < T0 + HOURS * 3600; t += 300) {
    for (let i = 0; i < ENTITIES; i++) {
      const e = entity(i);
      batch.push(
        { metric: 'conn.bytes.orig', entity: e, ts: t + (i % 300), value: (i * 7 + t) % 5000 },
        { metric: 'conn.count.orig', entity: e, ts: t + (i % 300), value: 1 },
        { metric: 'conn.state.orig', entity: e, ts: t + (i % 300), value: ['SF', 'REJ', 'S0'][i % 3] as string },
        { metric: 'conn.peers.orig', entity: e, ts: t + (i % 300), value: `10.9.${i % 50}.1` },
      );
      if (batch.length >= 20_000) {
        written += (await store.bulkInsert(batch)).written;
        batch = [];
      }
    }
  }
  if (batch.length > 0) written += (await store.bulkInsert(batch)).written;
  return written;
}

/** EVALSHA/EVAL durations in the SLOWLOG since the last reset (microseconds): longest, p50, p99, count, sum. */
async function longestScript(redis: Redis): Promise<{ maxMicros: number; p50Micros: number; p99Micros: number; scripts: number; totalMicros: number }> {
  const entries = (await redis.call('SLOWLOG', 'GET', '-1')) as [number, number, number, string[]][];
  const durations: number[] = [];
  for (const [, , micros, args] of entries) {
    const name = String(args[0] ?? '').toUpperCase();
    if (name === 'EVALSHA' || name === 'EVAL') durations.push(micros);
  }
  durations.sort((a, b) => a - b);
  const at = (q: number): number => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? 0;
  return { maxMicros: at(1), p50Micros: at(0.5), p99Micros: at(0.99), scripts: durations.length, totalMicros: durations.reduce((a, b) => a + b, 0) };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-bench-rebuild-'));
  const server = await startRedisServer({ dir, appendonly: false, config: { 'slowlog-max-len': '1000000' } });
  const redis = new Redis(server.url);
  const results: Record<string, unknown>[] = [];
  try {
    for (const [round, stepEntities] of STEPS.entries()) {
      const a = createStore(redis, { prefix: `bra${round}`, metrics: METRICS });
      const b = createStore(redis, { prefix: `brb${round}`, metrics: METRICS });
      log(`round ${round + 1}/${STEPS.length}: filling two stores (${ENTITIES} IPs x ${HOURS} h x 4 metrics)`);
      const samples = await fill(a);
      await fill(b);

      await redis.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
      await redis.call('SLOWLOG', 'RESET');
      let started = process.hrtime.bigint();
      const deleted = await a.deleteMetric({ metric: DELETED, stepEntities });
      const deleteMetricMs = Number(process.hrtime.bigint() - started) / 1e6;
      const slow = await longestScript(redis);
      await redis.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
      log(`deleteMetric (stepEntities ${stepEntities}): ${deleteMetricMs.toFixed(0)} ms, ${deleted.entities} entity-chunks, longest step ${slow.maxMicros} us`);

      started = process.hrtime.bigint();
      const listed: string[] = [];
      for (let offset = 0; ; offset += 10_000) {
        const page = await b.entities({ metric: DELETED, offset, limit: 10_000 });
        listed.push(...page);
        if (page.length < 10_000) break;
      }
      let removedPerEntity = 0;
      for (let i = 0; i < listed.length; i += 50) {
        const counts = await Promise.all(listed.slice(i, i + 50).map((e) => b.delete({ entity: e, metric: DELETED })));
        removedPerEntity += counts.reduce((x, y) => x + y, 0);
      }
      const perEntityMs = Number(process.hrtime.bigint() - started) / 1e6;
      log(`per-entity delete: ${perEntityMs.toFixed(0)} ms for ${listed.length} IPs`);
      if (removedPerEntity !== deleted.removed) log(`note: removed ${deleted.removed} (deleteMetric) vs ${removedPerEntity} (per entity); the latter counts whole keys, the former fields and keys`);

      results.push({
        stepEntities,
        samples,
        entityChunks: deleted.entities,
        removed: deleted.removed,
        deleteMetricMs: Math.round(deleteMetricMs),
        entityChunksPerSecond: Math.round(deleted.entities / (deleteMetricMs / 1000)),
        scripts: slow.scripts,
        longestStepMicros: slow.maxMicros,
        stepMicrosP50: slow.p50Micros,
        stepMicrosP99: slow.p99Micros,
        scriptMicrosPerEntityChunk: Number((slow.totalMicros / Math.max(1, deleted.entities)).toFixed(1)),
        perEntityDeleteMs: Math.round(perEntityMs),
        perEntityOverDeleteMetric: Number((perEntityMs / deleteMetricMs).toFixed(2)),
      });
      await redis.flushall(); // this benchmark's own redis-server
    }
  } finally {
    redis.disconnect();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify({ bench: 'rebuild', entities: ENTITIES, hours: HOURS, runs: results })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench:rebuild] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
