/**
 * What each kind of write-script operation costs Redis: the working tree's store writes the
 * workload once (`bulkInsert`, batches of 20 000) while its write-script calls are recorded; the
 * recording is then replayed into a private redis-server (127.0.0.1), whole and with the
 * operations of one kind taken out (`V` values and labelled hashes, `L` entity indexes, `P` hll
 * buckets, `Z` top indexes, ...; writeScript.ts), each replay on an emptied Redis, rounds
 * alternating. Redis CPU of the whole replay minus that without a kind is what that kind costs
 * (the data written differs, so this sizes the parts; it is not a store that works).
 *
 *   pnpm exec tsx bench/store/writeOpCost.ts
 *   BENCH_STORE_MINUTES=5   minutes of traffic (default 5)
 *   BENCH_WRITE_ROUNDS=3    rounds (default 3)
 *   BENCH_REDIS_DEFAULTS=1  Redis's default encodings instead of ipscope's
 *
 * Last stdout line: one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startRedisServer } from '@ipscope/testkit';
import { createStore, type Sample } from '@ipscope/timeseries';
import { pinnedMix } from './workload';
import { redisCpuMs } from '../shared/redisCpu';
import { benchEncodings, median, recordWriteCalls, type WriteCall } from './writeCalls';

const MINUTES = Math.min(Math.max(Number(process.env['BENCH_STORE_MINUTES'] ?? 5) || 5, 1), 60);
const ROUNDS = Math.min(Math.max(Number(process.env['BENCH_WRITE_ROUNDS'] ?? 3) || 3, 1), 10);
const BATCH = 20_000;
/** Replays: everything, then without each kind, then with none (the scripts' fixed cost). */
const VARIANTS = ['', 'V', 'L', 'P', 'Z', 'S', 'R', 'VLPZSRDHT'];

/** Index after the operation at `i` of a write-script call (see writeScript.ts for the formats). */
function opEnd(a: WriteCall, i: number): number {
  const op = String(a[i]);
  if (op === 'R') return i + 3;
  if (op === 'T') return i + 5;
  if (op === 'V') return i + 5 + 2 * (Number(a[i + 2]) + Number(a[i + 3]) + Number(a[i + 4]));
  if (op === 'L') {
    let j = i + 3;
    for (let g = 0; g < Number(a[i + 2]); g++) j += 2 + Number(a[j + 1]);
    return j;
  }
  return i + 3 + (op === 'P' || op === 'S' ? 1 : 2) * Number(a[i + 2]);
}

/** The call without the operations whose letter is in `drop`. */
function without(call: WriteCall, drop: string): WriteCall {
  if (drop === '') return call;
  const first = 2 + Number(call[1]) + 5; // sha, numkeys, keys, 5 header arguments
  const out = call.slice(0, first);
  for (let i = first; i < call.length; ) {
    const end = opEnd(call, i);
    if (!drop.includes(String(call[i]))) for (let q = i; q < end; q++) out.push(call[q] as string | number);
    i = end;
  }
  return out;
}

async function main(): Promise<void> {
  const encodings = benchEncodings();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-write-op-cost-'));
  const server = await startRedisServer({ dir, appendonly: false, config: encodings.config });
  const redis = new Redis(server.url);
  const recorder = new Redis(server.url);
  const redisCpu = () => redisCpuMs(redis);
  try {
    const mix = pinnedMix(Math.floor(Date.now() / 1000) - 60, MINUTES * 60, 40);
    const calls = recordWriteCalls(recorder);
    const groups: WriteCall[][] = [];
    const store = createStore(recorder, { prefix: 'woc', metrics: mix.metrics });
    for (let i = 0; i < mix.samples.length; i += BATCH) {
      await store.bulkInsert(mix.samples.slice(i, i + BATCH) as Sample[]);
      groups.push(calls.take());
    }
    const cpu: Record<string, number[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const drop of round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
        const replayed = groups.map((g) => g.map((c) => without(c, drop)));
        await redis.flushall();
        const c0 = await redisCpu();
        for (const g of replayed) await Promise.all(g.map((c) => redis.call('evalsha', c)));
        (cpu[drop === '' ? 'all' : `without ${drop}`] ??= []).push(Math.round((await redisCpu()) - c0));
      }
      process.stderr.write(`write-op-cost round ${round + 1}: ${JSON.stringify(cpu)}\n`);
    }
    await redis.flushall();
    const all = median(cpu['all'] ?? []);
    const costMs: Record<string, number> = {};
    for (const [name, runs] of Object.entries(cpu)) if (name !== 'all') costMs[name.replace('without ', '')] = Math.round(all - median(runs));
    const result = {
      bench: 'store-write-op-cost',
      encodings: encodings.name,
      machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((x) => Math.round(x * 10) / 10), node: process.version },
      workload: { minutes: MINUTES, samples: mix.samples.length, entities: mix.entities, batch: BATCH },
      redisCpuMs: cpu,
      medianAllMs: all,
      costMs,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    recorder.disconnect();
    redis.disconnect();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`write-op-cost failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
