/**
 * Where the store's write time goes inside Redis: writes `BENCH_STORE_MINUTES` (default 10) of
 * the store benchmark's workload through the aggregate path (batches of 20 000 samples) into a
 * private redis-server on 127.0.0.1, then prints Redis's own `INFO commandstats` (calls and
 * microseconds per command, the write script included) as one JSON line.
 *
 *   pnpm exec tsx bench/store/writeCommandStats.ts                 # ipscope's Redis settings
 *   BENCH_REDIS_DEFAULTS=1 pnpm exec tsx bench/store/writeCommandStats.ts   # Redis's default encodings
 *   pnpm exec tsx bench/store/writeCommandStats.ts cacaeb8        # the store of an older commit
 *                                                                 # (git archive into bench/.work)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { IPSCOPE_REDIS_CONFIG, startRedisServer } from '@ipscope/testkit';
import type { Sample } from '@ipscope/timeseries';
import { storeAt } from './storeAt';
import { pinnedMix } from './workload';

const MINUTES = Math.min(120, Math.max(1, Number(process.env['BENCH_STORE_MINUTES'] ?? 10) || 10));
const DEFAULTS = process.env['BENCH_REDIS_DEFAULTS'] === '1';
const BATCH = 20_000;

const COMMIT = process.argv[2];

async function main(): Promise<void> {
  const create = await storeAt(COMMIT, 'write-cmdstats');
  const mix = pinnedMix(Math.floor(Date.now() / 1000) - 60, MINUTES * 60, 40);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ipscope-write-cmdstats-'));
  const config = DEFAULTS ? { 'hash-max-listpack-entries': '128', 'zset-max-listpack-entries': '128', 'set-max-intset-entries': '512' } : { ...IPSCOPE_REDIS_CONFIG };
  const server = await startRedisServer({ dir, appendonly: false, config });
  const redis = new Redis(server.url, { maxRetriesPerRequest: 2 });
  try {
    const store = create(redis, { prefix: 'ips', metrics: mix.metrics });
    const batches: Sample[][] = [];
    for (let i = 0; i < mix.samples.length; i += BATCH) batches.push(mix.samples.slice(i, i + BATCH));
    const write = async (batch: readonly Sample[]): Promise<number> => {
      const started = performance.now();
      const aggregate = store.aggregate();
      for (const s of batch) aggregate.add(s.metric, s.entity, s.ts, s.value);
      const folded = performance.now() - started;
      await store.writeAggregate(aggregate);
      return folded;
    };
    for (const batch of batches.slice(0, 2)) await write(batch); // warm-up
    await redis.flushall();
    await redis.config('RESETSTAT');
    const started = performance.now();
    let foldMs = 0;
    for (const batch of batches) foldMs += await write(batch);
    const seconds = (performance.now() - started) / 1000;
    const commands = (await redis.info('commandstats'))
      .split('\n')
      .map((line) => /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ command: m[1], calls: Number(m[2]), seconds: Number(m[3]) / 1e6 }))
      .sort((a, b) => b.seconds - a.seconds);
    const result = {
      bench: 'store-write-commandstats',
      redis: DEFAULTS ? 'defaults' : 'ipscope settings',
      store: COMMIT ?? 'working tree',
      loadavg1: Math.round((os.loadavg()[0] ?? 0) * 10) / 10,
      samples: mix.samples.length,
      seconds: Math.round(seconds * 100) / 100,
      samplesPerSecond: Math.round(mix.samples.length / seconds),
      foldSeconds: Math.round(foldMs) / 1000,
      commands,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    redis.disconnect();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`writeCommandStats failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
