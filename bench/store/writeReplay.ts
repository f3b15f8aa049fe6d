/**
 * Redis's side of the write path alone, before/after: the store of an older commit and the
 * working tree's each write the same samples once (`bulkInsert`, batches of 20 000) while their
 * write-script calls (keys and arguments) are recorded; then the two recordings are replayed
 * into one private redis-server (127.0.0.1), each replay on an emptied Redis, the two sides
 * alternating. A replay sends each batch's shard scripts as the store does (all shards of a
 * batch at once, batches one after another) and does nothing else, so Redis's CPU per replay
 * (INFO cpu) is the write scripts' cost with no JavaScript running beside it. Also reports the
 * arguments and keys each side sends per sample.
 *
 *   pnpm exec tsx bench/store/writeReplay.ts <commit>
 *   BENCH_STORE_MINUTES=5   minutes of traffic (default 5)
 *   BENCH_WRITE_ROUNDS=5    replays per side (default 5)
 *   BENCH_REDIS_DEFAULTS=1  Redis's default encodings instead of ipscope's
 *
 * Last stdout line: one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { repoRoot, startRedisServer } from '@ipscope/testkit';

import type { Sample } from '@ipscope/timeseries';
import { storeAt } from './storeAt';
import { pinnedMix } from './workload';
import { redisCpuMs } from '../shared/redisCpu';
import { benchEncodings, median, recordWriteCalls, type WriteCall } from './writeCalls';

function commitArg(text: string | undefined): string {
  if (!text || !/^[0-9a-f]{4,40}$/.test(text)) throw new Error('usage: tsx bench/store/writeReplay.ts <commit> (hex, e.g. 168224f)');
  return text;
}
const commit = commitArg(process.argv[2]);
const MINUTES = Math.min(Math.max(Number(process.env['BENCH_STORE_MINUTES'] ?? 5) || 5, 1), 60);
const ROUNDS = Math.min(Math.max(Number(process.env['BENCH_WRITE_ROUNDS'] ?? 5) || 5, 1), 20);
const BATCH = 20_000;
const log = (line: string): void => {
  process.stderr.write(`write-replay ${line}\n`);
};

async function main(): Promise<void> {
  const before = await storeAt(commit, 'write-replay');
  const after = await storeAt(undefined, 'write-replay');
  const encodings = benchEncodings();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-write-replay-'));
  const server = await startRedisServer({ dir, appendonly: false, config: encodings.config });
  const redis = new Redis(server.url);
  const redisCpu = () => redisCpuMs(redis);
  try {
    const mix = pinnedMix(Math.floor(Date.now() / 1000) - 60, MINUTES * 60, 40);
    log(`${mix.events} connections -> ${mix.samples.length} samples, ${mix.entities} IPs (${path.relative(repoRoot(), dir)})`);
    const batches: Sample[][] = [];
    for (let i = 0; i < mix.samples.length; i += BATCH) batches.push(mix.samples.slice(i, i + BATCH));

    // Records every EVALSHA of a write (the scripts of one batch form one group), then runs it.
    const record = async (create: typeof before): Promise<{ groups: WriteCall[][]; args: number; keys: number }> => {
      await redis.flushall();
      const client = new Redis(server.url);
      const recorder = recordWriteCalls(client);
      const groups: WriteCall[][] = [];
      const store = create(client, { prefix: 'wr', metrics: mix.metrics });
      for (const batch of batches) {
        await store.bulkInsert(batch);
        groups.push(recorder.take());
      }
      client.disconnect();
      return { groups, args: recorder.args, keys: recorder.keys };
    };
    const recorded = { before: await record(before), after: await record(after) };
    const replay = async (side: 'before' | 'after'): Promise<number> => {
      await redis.flushall();
      const c0 = await redisCpu();
      for (const group of recorded[side].groups) await Promise.all(group.map((call) => redis.call('evalsha', call)));
      return Math.round((await redisCpu()) - c0);
    };
    await replay('before');
    await replay('after');
    const cpu = { before: [] as number[], after: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      for (const side of i % 2 === 0 ? (['before', 'after'] as const) : (['after', 'before'] as const)) {
        const ms = await replay(side);
        cpu[side].push(ms);
        log(`${side}: Redis CPU ${ms} ms (load ${os.loadavg()[0]?.toFixed(1)})`);
      }
    }
    await redis.flushall();
    const n = mix.samples.length;
    const perSample = (x: number): number => Math.round(x * 100) / 100;
    const result = {
      bench: 'store-write-replay',
      before: commit,
      encodings: encodings.name,
      machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((x) => Math.round(x * 10) / 10), node: process.version },
      workload: { minutes: MINUTES, samples: n, entities: mix.entities, batch: BATCH },
      redisCpuMs: cpu,
      medianRedisCpuMs: { before: median(cpu.before), after: median(cpu.after) },
      afterOverBefore: Math.round((median(cpu.after) / median(cpu.before)) * 1000) / 1000,
      redisCpuUsPerSample: { before: perSample((median(cpu.before) * 1000) / n), after: perSample((median(cpu.after) * 1000) / n) },
      argumentsPerSample: { before: perSample(recorded.before.args / n), after: perSample(recorded.after.args / n) },
      keysPerSample: { before: perSample(recorded.before.keys / n), after: perSample(recorded.after.keys / n) },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    redis.disconnect();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`write-replay failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
