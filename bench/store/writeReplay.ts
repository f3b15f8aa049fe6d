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
import { IPSCOPE_REDIS_CONFIG, repoRoot, startRedisServer } from '@ipscope/testkit';

/**
 * Redis's own defaults for the encodings ipscope tunes, given explicitly: testkit's
 * startRedisServer applies IPSCOPE_REDIS_CONFIG under whatever `config` holds, so an empty
 * `config` is ipscope's settings, not Redis's defaults.
 */
const REDIS_DEFAULT_ENCODINGS = { 'hash-max-listpack-entries': '128', 'zset-max-listpack-entries': '128', 'set-max-intset-entries': '512' };
import type { Sample } from '@ipscope/timeseries';
import { storeAt } from './storeAt';
import { pinnedMix } from './workload';
import { redisCpuMs } from '../shared/redisCpu';

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

/** One EVALSHA as the store sent it: sha, number of keys, then keys and arguments. */
type Call = (string | number)[];

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
}

async function main(): Promise<void> {
  const before = await storeAt(commit, 'write-replay');
  const after = await storeAt(undefined, 'write-replay');
  const defaults = process.env['BENCH_REDIS_DEFAULTS'] === '1';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-write-replay-'));
  const server = await startRedisServer({ dir, appendonly: false, config: defaults ? { ...REDIS_DEFAULT_ENCODINGS } : { ...IPSCOPE_REDIS_CONFIG } });
  const redis = new Redis(server.url);
  const redisCpu = () => redisCpuMs(redis);
  try {
    const mix = pinnedMix(Math.floor(Date.now() / 1000) - 60, MINUTES * 60, 40);
    log(`${mix.events} connections -> ${mix.samples.length} samples, ${mix.entities} IPs (${path.relative(repoRoot(), dir)})`);
    const batches: Sample[][] = [];
    for (let i = 0; i < mix.samples.length; i += BATCH) batches.push(mix.samples.slice(i, i + BATCH));

    // Records every EVALSHA of a write (the scripts of one batch form one group), then runs it.
    const record = async (create: typeof before): Promise<{ groups: Call[][]; args: number; keys: number }> => {
      await redis.flushall();
      const groups: Call[][] = [];
      let current: Call[] = [];
      let args = 0;
      let keys = 0;
      const client = new Redis(server.url);
      const evalsha = client.evalsha.bind(client) as (...a: unknown[]) => Promise<unknown>;
      (client as unknown as { evalsha: (...a: unknown[]) => Promise<unknown> }).evalsha = (...a: unknown[]) => {
        const flat: Call = [];
        for (const x of a) {
          if (Array.isArray(x)) for (const y of x as (string | number)[]) flat.push(y);
          else flat.push(x as string | number);
        }
        current.push(flat);
        keys += Number(flat[1]);
        args += flat.length - 2 - Number(flat[1]);
        return evalsha(...a);
      };
      const store = create(client, { prefix: 'wr', metrics: mix.metrics });
      for (const batch of batches) {
        await store.bulkInsert(batch);
        groups.push(current);
        current = [];
      }
      client.disconnect();
      return { groups, args, keys };
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
      encodings: defaults ? 'redis defaults' : 'ipscope settings',
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
