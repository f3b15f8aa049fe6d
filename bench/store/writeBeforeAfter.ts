/**
 * Write path before/after, side by side in one run: the store of an older commit (extracted with
 * `git archive` into the gitignored bench/.work) against the working tree's, writing the same
 * samples (`bench:store`'s realistic mix: simulated Zeek conn traffic through the default metric
 * catalog) with `bulkInsert` in batches, into one private redis-server (127.0.0.1), each run on an
 * emptied Redis, the two sides alternating (one untimed warm-up of each first). Reports samples/s
 * per run, Redis's CPU per run (INFO cpu) and this process's CPU per run (the store's Node side:
 * checking, folding, building and sending the scripts), which a shared machine distorts less than time.
 *
 *   pnpm exec tsx bench/store/writeBeforeAfter.ts <commit>
 *   BENCH_STORE_MINUTES=20  minutes of traffic (default 20)
 *   BENCH_WRITE_ROUNDS=3    timed runs per side (default 3)
 *   BENCH_REDIS_DEFAULTS=1  Redis's default encodings instead of ipscope's
 *
 * Last stdout line: one JSON object.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { repoRoot, startRedisServer } from '@ipscope/testkit';

import type { createStore, Sample, StoreOptions } from '@ipscope/timeseries';
import { pinnedMix } from './workload';
import { redisCpuMs } from '../shared/redisCpu';
import { benchEncodings, median } from './writeCalls';

function commitArg(text: string | undefined): string {
  if (!text || !/^[0-9a-f]{4,40}$/.test(text)) throw new Error('usage: tsx bench/store/writeBeforeAfter.ts <commit> (hex, e.g. 30e6ff1)');
  return text;
}
const commit = commitArg(process.argv[2]);
const MINUTES = Math.min(Math.max(Number(process.env['BENCH_STORE_MINUTES'] ?? 20), 1), 240);
const ROUNDS = Math.min(Math.max(Number(process.env['BENCH_WRITE_ROUNDS'] ?? 3), 1), 10);
const BATCH = 20_000;
const log = (line: string): void => {
  process.stderr.write(`write-before-after ${line}\n`);
};

async function main(): Promise<void> {
  const work = path.join(repoRoot(), 'bench', '.work', 'write-before-after');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const archive = execFileSync('git', ['-C', repoRoot(), 'archive', commit, 'packages/timeseries/src']);
  execFileSync('tar', ['-x', '-C', work], { input: new Uint8Array(archive) });
  const before = (await import(path.join(work, 'packages/timeseries/src/index.ts'))) as { createStore: typeof createStore };
  // The working tree's store is run from a copy too: imported as the workspace package, the same
  // code took ~40 % more Node CPU than its copy in an A/A run (before = HEAD, 2026-11-30).
  const tree = path.join(work, 'tree');
  fs.cpSync(path.join(repoRoot(), 'packages', 'timeseries', 'src'), path.join(tree, 'packages', 'timeseries', 'src'), { recursive: true });
  const after = (await import(path.join(tree, 'packages/timeseries/src/index.ts'))) as { createStore: typeof createStore };

  const encodings = benchEncodings();
  const server = await startRedisServer({ dir: path.join(work, 'redis'), appendonly: false, config: encodings.config });
  const redis = new Redis(server.url);
  const redisCpu = () => redisCpuMs(redis);
  try {
    const mix = pinnedMix(Math.floor(Date.now() / 1000) - 60, MINUTES * 60, 40);
    log(`${mix.events} connections -> ${mix.samples.length} samples, ${mix.entities} IPs`);
    const batches: Sample[][] = [];
    for (let i = 0; i < mix.samples.length; i += BATCH) batches.push(mix.samples.slice(i, i + BATCH));
    const options: StoreOptions = { prefix: 'wba', metrics: mix.metrics };
    const factories = { before: before.createStore, after: after.createStore };
    const run = async (side: 'before' | 'after') => {
      await redis.flushall();
      const store = factories[side](redis, options);
      const c0 = await redisCpu();
      const n0 = process.cpuUsage();
      const t0 = performance.now();
      let samples = 0;
      for (const batch of batches) {
        const r = await store.bulkInsert(batch);
        samples += r.written + r.dropped;
      }
      const seconds = (performance.now() - t0) / 1000;
      const n = process.cpuUsage(n0);
      return { samplesPerSecond: Math.round(samples / seconds), redisCpuMs: Math.round((await redisCpu()) - c0), nodeCpuMs: Math.round((n.user + n.system) / 1000) };
    };
    await run('before');
    await run('after');
    type Run = Awaited<ReturnType<typeof run>>;
    const out = { before: [] as Run[], after: [] as Run[] };
    for (let i = 0; i < ROUNDS; i++) {
      for (const side of i % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)) {
        const r = await run(side);
        out[side].push(r);
        log(`${side}: ${r.samplesPerSecond} samples/s, Redis CPU ${r.redisCpuMs} ms, Node CPU ${r.nodeCpuMs} ms`);
      }
    }
    await redis.flushall();
    const med = (side: 'before' | 'after', f: 'samplesPerSecond' | 'redisCpuMs' | 'nodeCpuMs') => median(out[side].map((r) => r[f]));
    const result = {
      bench: 'store-write-before-after',
      before: commit,
      encodings: encodings.name,
      machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((x) => Math.round(x * 10) / 10), node: process.version },
      workload: { minutes: MINUTES, samples: mix.samples.length, entities: mix.entities, batch: BATCH },
      runs: out,
      medianSamplesPerSecond: { before: med('before', 'samplesPerSecond'), after: med('after', 'samplesPerSecond') },
      afterOverBefore: Math.round((med('after', 'samplesPerSecond') / med('before', 'samplesPerSecond')) * 1000) / 1000,
      medianRedisCpuMs: { before: med('before', 'redisCpuMs'), after: med('after', 'redisCpuMs') },
      medianNodeCpuMs: { before: med('before', 'nodeCpuMs'), after: med('after', 'nodeCpuMs') },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    redis.disconnect();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`write-before-after failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
