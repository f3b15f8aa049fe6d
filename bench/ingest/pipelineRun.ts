import { spawn } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import type { Redis } from 'ioredis';
import { spawnWorker, type WorkerProcess } from '../../apps/server/src/ingest/testing/harness';
import { repoRoot } from '@ipscope/testkit';
import { openStore } from '../../apps/server/src/storeSetup';
import { cpuSeconds, peakRssBytes, processTree } from '../shared/processCpu';

/** One end-to-end run: `workers` ingest processes on a fresh group and key prefix. */
export interface PipelineTarget {
  brokers: string;
  /** The benchmark's private Redis (emptied after the run). */
  privateRedis: Redis;
  privateRedisUrl: string;
  topic: string;
  lastOffsets: Map<number, number>;
  records: number;
  workers: number;
  /** Unique per run: names the group and the key prefix. */
  runId: string;
  /** Write V8 CPU profiles of the worker processes here (NODE_OPTIONS=--cpu-prof). */
  cpuProfDir?: string;
  /** Other processes whose CPU time the run reports (private Redis, the Kafka broker). */
  watch: Record<string, number | undefined>;
  timeoutMs: number;
  /** Extra environment of the workers (e.g. IPSCOPE_INGEST_WRITE_PATH). */
  env?: Record<string, string>;
}

/** Wall-clock times (epoch ms) and what was checked; the figures are derived by the caller. */
export interface PipelineRun {
  workers: number;
  spawnedAt: number;
  /** First 'joined consumer group' log line of any worker. */
  joinedAt: number | undefined;
  /** First time the poller saw a partition fence in Redis (a batch written). */
  firstWriteAt: number | undefined;
  /** Every partition's fence at its last offset. */
  fencesDoneAt: number;
  /** ... and Kafka holds the group's commit of every last offset: the run is done. */
  doneAt: number;
  /** Sum of the `conn.count.orig` and `conn.count.resp` counts over every stored IP: each must equal the record count. */
  storedOrig: number;
  storedResp: number;
  redisUsedMemoryBytes: number;
  /** Write scripts run (EVALSHA and EVAL) and the time Redis spent in them (its own commandstats). */
  redisScripts: number;
  redisScriptSeconds: number;
  /** CPU seconds used during the run (spawn → done), by the worker processes and each watched process. */
  cpuSeconds: Record<string, number>;
  /** Peak resident memory of the worker processes (their trees' VmHWM summed), bytes. */
  workersPeakRssBytes: number;
}

const POLL_MS = 100;

function joinedTime(output: string): number | undefined {
  for (const line of output.split('\n')) {
    if (!line.includes('joined consumer group')) continue;
    try {
      const entry = JSON.parse(line) as { time?: unknown };
      if (typeof entry.time === 'string') return Date.parse(entry.time);
    } catch {
      // A line that is not one JSON log entry is not what we look for.
    }
  }
  return undefined;
}

/**
 * Like the harness's spawnWorker, but node itself with tsx's loader, so --cpu-prof (refused in
 * NODE_OPTIONS) applies to the worker; the profile is written when the worker exits.
 */
function spawnProfiled(env: Record<string, string>, dir: string): WorkerProcess {
  let output = '';
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: repoRoot(),
    env: { ...process.env, IPSCOPE_ROLES: 'ingest', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function stopWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  for (const w of workers) w.child.kill('SIGTERM');
  await Promise.all(
    workers.map(async (w) => {
      const timer = setTimeout(() => w.child.kill('SIGKILL'), 30_000);
      await w.exited;
      clearTimeout(timer);
    }),
  );
}

/**
 * Starts the workers as real processes (`apps/server/src/main.ts`, ingest role), waits until
 * the store's fence of every partition reached its last offset and the group has committed it,
 * checks that the stored connection counts add up to the record count exactly, then stops the
 * workers, drops the consumer group and empties the private Redis.
 */
export async function runPipeline(target: PipelineTarget): Promise<PipelineRun> {
  const prefix = `bi${target.runId}`;
  const group = `bench-ingest-${target.runId}`;
  const { store } = openStore(target.privateRedis, prefix);
  const admin = new Kafka({ clientId: 'bench-ingest-poll', brokers: target.brokers.split(','), logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  const partitions = [...target.lastOffsets].filter(([, last]) => last >= 0);
  const env: Record<string, string> = {
    REDIS_URL: target.privateRedisUrl,
    KAFKA_BROKERS: target.brokers,
    IPSCOPE_TOPICS: `${target.topic}:zeek`,
    IPSCOPE_GROUP: group,
    IPSCOPE_PREFIX: prefix,
    ...target.env,
    LOG_LEVEL: 'info',
  };

  await target.privateRedis.config('RESETSTAT');
  const watchedBefore = Object.fromEntries(Object.entries(target.watch).map(([name, pid]) => [name, pid === undefined ? 0 : cpuSeconds([pid])]));
  const spawnedAt = Date.now();
  const workers = Array.from({ length: target.workers }, () => (target.cpuProfDir ? spawnProfiled(env, target.cpuProfDir) : spawnWorker(env)));
  try {
    let firstWriteAt: number | undefined;
    let fencesDoneAt: number | undefined;
    let doneAt: number | undefined;
    // The workers' CPU once every one has joined the group: what they use after start-up.
    let cpuAtJoin: number | undefined;
    const deadline = spawnedAt + target.timeoutMs;
    while (doneAt === undefined) {
      if (Date.now() > deadline) {
        const tail = workers.map((w, i) => `worker ${i + 1}:\n${w.output().split('\n').slice(-8).join('\n')}`).join('\n');
        throw new Error(`the ${target.workers}-worker run did not finish within ${target.timeoutMs / 1000} s; last worker log lines:\n${tail}`);
      }
      const dead = workers.find((w) => w.child.exitCode !== null);
      if (dead) throw new Error(`an ingest worker exited with code ${dead.child.exitCode} before the run finished:\n${dead.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (cpuAtJoin === undefined && workers.every((w) => joinedTime(w.output()) !== undefined)) {
        cpuAtJoin = cpuSeconds(workers.flatMap((w) => (w.child.pid === undefined ? [] : processTree(w.child.pid))));
      }
      if (fencesDoneAt === undefined) {
        const fences = await Promise.all(partitions.map(([p]) => store.fenceToken(`${target.topic}/${p}`)));
        if (firstWriteAt === undefined && fences.some((f) => f !== null)) firstWriteAt = Date.now();
        if (partitions.every(([, last], i) => (fences[i] ?? -1) >= last)) fencesDoneAt = Date.now();
      }
      if (fencesDoneAt !== undefined) {
        const [committed] = await admin.fetchOffsets({ groupId: group, topics: [target.topic] });
        const byPartition = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
        if (partitions.every(([p, last]) => (byPartition.get(p) ?? -1) >= last + 1)) doneAt = Date.now();
      }
    }
    const workerPids = workers.flatMap((w) => (w.child.pid === undefined ? [] : processTree(w.child.pid)));
    const workerCpu = cpuSeconds(workerPids);
    const workersPeakRss = peakRssBytes(workerPids);
    const watchedCpu = Object.fromEntries(
      Object.entries(target.watch).map(([name, pid]) => [name, pid === undefined ? 0 : cpuSeconds([pid]) - (watchedBefore[name] ?? 0)]),
    );
    const total = async (metric: string) => (await store.top({ metric, interval: 'days', limit: 10_000 })).reduce((a, e) => a + e.value, 0);
    const storedOrig = await total('conn.count.orig');
    const storedResp = await total('conn.count.resp');
    if (storedOrig !== target.records || storedResp !== target.records) {
      throw new Error(`the ${target.workers}-worker run stored ${storedOrig} originated and ${storedResp} answered connections, expected ${target.records} each`);
    }
    const info = await target.privateRedis.info('memory');
    const redisUsedMemoryBytes = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN);
    const commandStats = await target.privateRedis.info('commandstats');
    let redisScripts = 0;
    let redisScriptMicros = 0;
    for (const m of commandStats.matchAll(/cmdstat_(?:evalsha|eval):calls=(\d+),usec=(\d+)/g)) {
      redisScripts += Number(m[1]);
      redisScriptMicros += Number(m[2]);
    }
    return {
      workers: target.workers,
      spawnedAt,
      joinedAt: workers.map((w) => joinedTime(w.output())).reduce<number | undefined>((a, t) => (t === undefined ? a : Math.min(a ?? t, t)), undefined),
      firstWriteAt,
      fencesDoneAt: fencesDoneAt ?? doneAt,
      doneAt,
      storedOrig,
      storedResp,
      redisUsedMemoryBytes,
      redisScripts,
      redisScriptSeconds: redisScriptMicros / 1e6,
      cpuSeconds: { workers: workerCpu, ...(cpuAtJoin === undefined ? {} : { workersAfterJoin: workerCpu - cpuAtJoin }), ...watchedCpu },
      workersPeakRssBytes: workersPeakRss,
    };
  } finally {
    await stopWorkers(workers);
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.disconnect();
    // The private Redis holds nothing but this run's keys.
    await target.privateRedis.flushdb();
  }
}
