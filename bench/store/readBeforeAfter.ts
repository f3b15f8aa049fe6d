/**
 * Read path before/after, side by side in one run: the store of an older commit (extracted with
 * `git archive` into the gitignored bench/.work) against the working tree's, on the same data in
 * one private redis-server (127.0.0.1, ipscope's settings), requests interleaved. Besides wall
 * time it reports CPU per request — Redis's (INFO cpu of the private server) and this Node
 * process's (process.cpuUsage) — which a loaded, shared machine distorts far less than latency.
 *
 *   pnpm exec tsx bench/store/readBeforeAfter.ts <commit>    # e.g. 7772df3
 *   BENCH_READ_ROUNDS=200  requests per series figure (top: a tenth, or BENCH_READ_TOP_ROUNDS)
 *
 * Data: a count metric with a sample every minute of two days for 20 IPs (series of 2 880
 * buckets), the same with six count metrics sharing each values hash, and 100 000 IPs with
 * heavy-tailed activity over the last 24 hours (top 100). Every answer of both stores is compared;
 * any difference stops the run. Last stdout line: one JSON object.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { IPSCOPE_REDIS_CONFIG, repoRoot, seededRandom, startRedisServer } from '@ipscope/testkit';
import { createStore, type Sample, type Store, type StoreOptions } from '@ipscope/timeseries';
import { percentiles } from './percentiles';
import { redisCpuMs } from '../shared/redisCpu';

function commitArg(text: string | undefined): string {
  if (!text || !/^[0-9a-f]{4,40}$/.test(text)) throw new Error('usage: tsx bench/store/readBeforeAfter.ts <commit> (hex, e.g. 7772df3)');
  return text;
}
const commit = commitArg(process.argv[2]);
const ROUNDS = Math.min(Math.max(Number(process.env['BENCH_READ_ROUNDS'] ?? 200), 20), 2000);
const log = (line: string): void => {
  process.stderr.write(`read-before-after ${line}\n`);
};

interface Side {
  p50: number;
  p95: number;
  nodeCpuMs: number;
  redisCpuMs: number;
}

async function main(): Promise<void> {
  const work = path.join(repoRoot(), 'bench', '.work', 'read-before-after');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const archive = execFileSync('git', ['-C', repoRoot(), 'archive', commit, 'packages/timeseries/src']);
  execFileSync("tar", ["-x", "-C", work], { input: new Uint8Array(archive) });
  const before = (await import(path.join(work, 'packages/timeseries/src/index.ts'))) as { createStore: typeof createStore };

  const server = await startRedisServer({ dir: path.join(work, 'redis'), appendonly: false, config: { ...IPSCOPE_REDIS_CONFIG } });
  const redis = new Redis(server.url);
  const redisCpu = () => redisCpuMs(redis);
  /** Runs `read` on both stores, interleaved, `n` times each; checks the answers agree. */
  const compare = async (n: number, read: (s: Store, i: number) => Promise<unknown>, stores: { before: Store; after: Store }) => {
    const out: Record<'before' | 'after', Side> = { before: { p50: 0, p95: 0, nodeCpuMs: 0, redisCpuMs: 0 }, after: { p50: 0, p95: 0, nodeCpuMs: 0, redisCpuMs: 0 } };
    const times = { before: [] as number[], after: [] as number[] };
    for (let i = 0; i < n; i++) {
      let first = '';
      for (const side of i % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)) {
        const r0 = await redisCpu();
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        const answer = await read(stores[side], i);
        times[side].push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        out[side].nodeCpuMs += (c.user + c.system) / 1000;
        out[side].redisCpuMs += (await redisCpu()) - r0;
        const text = JSON.stringify(answer);
        if (first === '') first = text;
        else if (text !== first) throw new Error(`the two stores answered differently (request ${i})`);
      }
    }
    for (const side of ['before', 'after'] as const) {
      const p = percentiles(times[side]);
      out[side] = { p50: p.p50, p95: p.p95, nodeCpuMs: round(out[side].nodeCpuMs / n), redisCpuMs: round(out[side].redisCpuMs / n) };
    }
    return out;
  };

  try {
    const end = Math.floor(Date.now() / 1000) - 60;
    const random = seededRandom(11);
    const shared = ['bytes', 'm1', 'm2', 'm3', 'm4', 'm5'];
    const options: StoreOptions = { prefix: 'rba', metrics: Object.fromEntries(shared.map((m) => [m, { type: 'count' as const, intervals: ['days'] }])) };
    const stores = { before: before.createStore(redis, options), after: createStore(redis, options) };
    const batch: Sample[] = [];
    const flush = async () => {
      if (batch.length > 0) await stores.after.bulkInsert(batch.splice(0));
    };
    for (let minute = 2879; minute >= 0; minute--) {
      for (let e = 0; e < 20; e++) batch.push({ metric: 'bytes', entity: `192.168.${e}.1`, ts: end - minute * 60, value: 1 + Math.floor(random() * 5000) });
      for (let e = 0; e < 10; e++) for (const metric of shared) batch.push({ metric, entity: `192.169.${e}.1`, ts: end - minute * 60, value: 1 + Math.floor(random() * 5000) });
      if (batch.length >= 20_000) await flush();
    }
    await flush();
    log('series of 2880 buckets, one metric per values hash');
    const series = await compare(ROUNDS, (s, i) => s.series({ metric: 'bytes', entity: `192.168.${i % 20}.1`, interval: 'days', last: 2880 }), stores);
    log(JSON.stringify(series));
    log('series of 2880 buckets, six metrics per values hash');
    const seriesShared = await compare(ROUNDS, (s, i) => s.series({ metric: 'bytes', entity: `192.169.${i % 10}.1`, interval: 'days', last: 2880 }), stores);
    log(JSON.stringify(seriesShared));

    const entities = 100_000;
    for (let i = 0; i < entities; i++) {
      const events = 1 + Math.floor(8 * random() ** 3 * (i % 100 === 0 ? 50 : 1));
      for (let k = 0; k < events; k++) {
        const value = Math.max(1, Math.round(Math.exp(random() * 12)));
        batch.push({ metric: 'bytes', entity: `10.${((i + 1) >> 16) & 255}.${((i + 1) >> 8) & 255}.${(i + 1) & 255}`, ts: end - Math.floor(random() * 86_400), value });
      }
      if (batch.length >= 20_000) await flush();
    }
    await flush();
    const top: Record<string, Record<'before' | 'after', Side>> = {};
    const topRounds = Math.min(Math.max(Number(process.env['BENCH_READ_TOP_ROUNDS'] ?? Math.round(ROUNDS / 10)), 10), 500);
    for (const [name, last] of [['last60min', 60], ['last6h', 360], ['last24h', 1440]] as const) {
      log(`top 100 of ${entities}, ${name}`);
      top[name] = await compare(topRounds, (s) => s.top({ metric: 'bytes', interval: 'days', last, limit: 100 }), stores);
      log(JSON.stringify(top[name]));
    }
    // Both edges cut, as the API's computed top-100 over a shifted range: 24 hours ending 7 + i minutes
    // before the newest data (request i, for both stores), so the range's first and last hours are read exactly.
    log(`top 100 of ${entities}, last24hShifted`);
    top['last24hShifted'] = await compare(topRounds, (s, i) => s.top({ metric: 'bytes', interval: 'days', from: end - 86_400 - (7 + i) * 60 + 60, to: end - (7 + i) * 60, limit: 100 }), stores);
    log(JSON.stringify(top['last24hShifted']));
    const result = {
      bench: 'store-read-before-after',
      before: commit,
      machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((x) => Math.round(x * 10) / 10), node: process.version },
      series2880: series,
      series2880SixMetricsPerHash: seriesShared,
      top100: top,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

main().catch((error: unknown) => {
  process.stderr.write(`read-before-after failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
