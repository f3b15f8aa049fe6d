/**
 * Store benchmark: write throughput against kairos, memory per bucket against kairos's layout,
 * read latency. `pnpm bench:store`. Starts its own redis-servers on 127.0.0.1 (Redis defaults,
 * and a second with larger listpack limits), installs kairos from PyPI into a gitignored
 * virtualenv (bench/.work/venv), stops everything at the end. Progress on stderr; the last stdout
 * line is one JSON object with every figure.
 *
 *   BENCH_STORE_MINUTES=20   traffic simulated for the write and memory runs (~48 k samples/min of
 *                            the pinned traffic below: ~0.96 M samples, as many as the earlier 60-minute
 *                            runs ending "now" had at their busiest)
 *   BENCH_STORE_BATCH=20000  samples per bulk insert (both stores)
 *   BENCH_STORE_ROUNDS=200   requests per latency figure
 *   BENCH_STORE_DAY_HOURS=0  if > 0: also bytes per count bucket after that many hours of traffic
 *                            (a steady state; ipscope only, ~5 min per 24 h)
 *   BENCH_STORE_PARTS=throughput,memory,latency   which parts to run (default all; e.g. `latency`
 *                            alone needs neither kairos nor the simulated traffic)
 *   BENCH_STORE_MEMORY_COMMIT=<commit>  the memory part measures that commit's store (extracted
 *                            into bench/.work), for a before/after on the same workload
 *
 * The simulated traffic is the same in every run: it ends Wednesday 2026-11-25 14:00 UTC, moved by
 * whole days to end within the last day (workload.ts `pinnedMix`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { IPSCOPE_REDIS_CONFIG, repoRoot, startRedisServer, type RunningRedis } from '@ipscope/testkit';
import { setupKairos } from './setupKairos';
import { pinnedMix, extraTypes } from './workload';
import { storeAt } from './storeAt';
import { measureThroughput } from './throughput';
import { measureMemory } from './memory';
import { measureLatency } from './latency';
import { measureDayMemory } from './dayMemory';

const MINUTES = clampInt(process.env['BENCH_STORE_MINUTES'], 20, 1, 240);
const BATCH = clampInt(process.env['BENCH_STORE_BATCH'], 20_000, 100, 200_000);
const ROUNDS = clampInt(process.env['BENCH_STORE_ROUNDS'], 200, 10, 5000);
const DAY_HOURS = clampInt(process.env['BENCH_STORE_DAY_HOURS'], 0, 0, 72);
const PART_NAMES = ['throughput', 'memory', 'latency'] as const;
const PARTS = new Set((process.env['BENCH_STORE_PARTS'] ?? PART_NAMES.join(',')).split(',').map((p) => p.trim()));
for (const p of PARTS) {
  if (!(PART_NAMES as readonly string[]).includes(p)) throw new Error(`BENCH_STORE_PARTS: unknown part ${JSON.stringify(p)}; use some of ${PART_NAMES.join(',')}`);
}
/** Redis's own defaults for the settings ipscope's Redis changes. */
const REDIS_DEFAULTS = { 'hash-max-listpack-entries': '128', 'zset-max-listpack-entries': '128', 'set-max-intset-entries': '512' };
/** What ipscope's Redis runs with (packages/testkit): larger listpack and intset limits. */
const TUNED = IPSCOPE_REDIS_CONFIG;
/** BENCH_STORE_MEMORY_COMMIT: measure memory with the store of this commit (before/after on one workload). */
const MEMORY_COMMIT = process.env['BENCH_STORE_MEMORY_COMMIT'];

function clampInt(text: string | undefined, fallback: number, lo: number, hi: number): number {
  const n = Number(text ?? fallback);
  return Number.isInteger(n) ? Math.min(hi, Math.max(lo, n)) : fallback;
}

const log = (line: string): void => {
  process.stderr.write(`bench:store ${line}\n`);
};

async function main(): Promise<void> {
  const work = path.join(repoRoot(), 'bench', '.work');
  const dir = path.join(work, MEMORY_COMMIT ? `store-${MEMORY_COMMIT}` : 'store');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const kairosParts = PARTS.has('throughput') || PARTS.has('memory');
  if (kairosParts) log('installing kairos (PyPI) into bench/.work/venv if needed');
  const python = kairosParts ? setupKairos(work) : '';

  // The same traffic in every run (a Wednesday up to 14:00 UTC), moved by whole days to end
  // within the last day: kairos expires by wall clock, so its samples must be recent.
  log(`simulating ${kairosParts ? MINUTES : 0} min of Zeek conn traffic`);
  const mix = pinnedMix(Math.floor(Date.now() / 1000) - 60, kairosParts ? MINUTES * 60 : 0, 40);
  const end = mix.to;
  log(`${mix.events} connections -> ${mix.samples.length} samples, ${mix.entities} IPs, ${Object.keys(mix.metrics).length} metrics`);

  const memoryStore = await storeAt(MEMORY_COMMIT, 'store-memory-at');
  if (MEMORY_COMMIT) log(`memory part: the store of commit ${MEMORY_COMMIT}`);
  const servers: RunningRedis[] = [];
  const clients: Redis[] = [];
  const start = async (name: string, config?: Record<string, string>) => {
    const server = await startRedisServer({ dir: path.join(dir, name), appendonly: false, config });
    servers.push(server);
    const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    return { server, client };
  };
  try {
    const plain = await start('default', REDIS_DEFAULTS);
    const throughput = PARTS.has('throughput') ? await measureThroughput(plain.client, plain.server.port, python, dir, mix.metrics, mix.samples, BATCH, log) : null;

    const extra = extraTypes(mix);
    const metrics = { ...mix.metrics, ...extra.metrics };
    const all = [...mix.samples, ...extra.samples];
    if (PARTS.has('memory')) log('memory with Redis defaults');
    const memoryDefault = PARTS.has('memory') ? await measureMemory(plain.client, plain.server.port, python, dir, metrics, all, log, memoryStore) : null;
    const tuned = await start('tuned', { ...TUNED });
    if (PARTS.has('memory')) log(`memory with ${JSON.stringify(TUNED)}`);
    const memoryTuned = PARTS.has('memory') ? await measureMemory(tuned.client, tuned.server.port, python, dir, metrics, all, log, memoryStore) : null;

    const steadyState = DAY_HOURS > 0 ? await measureDayMemory(tuned.client, end, DAY_HOURS, log) : null;
    if (steadyState) log(`memory after ${DAY_HOURS} h (count metrics, ipscope settings): ${steadyState.bytesPerBucket} B/bucket (data ${steadyState.dataBytesPerBucket})`);
    const latency = PARTS.has('latency') ? await measureLatency(plain.client, end, ROUNDS, log) : null;
    const latencyTuned = PARTS.has('latency') ? await measureLatency(tuned.client, end, ROUNDS, log) : null;

    const result = {
      bench: 'store',
      parts: [...PARTS],
      memoryStore: MEMORY_COMMIT ?? 'working tree',
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', loadavg: os.loadavg().map((x) => Math.round(x * 10) / 10), node: process.version },
      workload: { minutes: MINUTES, end: new Date(end * 1000).toISOString(), connections: mix.events, samples: mix.samples.length, entities: mix.entities, metrics: Object.keys(mix.metrics).length, intervals: ['days', 'months'] },
      throughput,
      memory: { redisDefaults: memoryDefault, tuned: { config: TUNED, figures: memoryTuned }, steadyState },
      latency: { redisDefaults: latency, tuned: latencyTuned },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    for (const c of clients) c.disconnect();
    for (const s of servers) await s.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:store failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
