/**
 * Where a computed top-100 answer's time goes: the route's work done in-process, phase by phase,
 * over the benchmark's data set (loaded as `bench/api/run.ts` loads it, or reused with
 * BENCH_REUSE=1), each request's 2-day range one minute earlier than the last (as the
 * benchmark's computed phase). Per request: wall time and Node CPU of each phase, GC pauses
 * during it, and whether its range's last bucket moved into another hour than the request
 * before (the kept sum of closed hours changes there). Prints the slowest requests and, as
 * its last line, one JSON object with the per-phase percentiles.
 *
 *   BENCH_API_PREFIX=apitop5 BENCH_REUSE=1 BENCH_PROFILE_REQUESTS=300 node_modules/.bin/tsx bench/api/topProfile.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { ensureServices } from '@ipscope/testkit';
import { createStore } from '@ipscope/timeseries';
import { compileCatalog, defaultCatalog, describeCatalog } from '@ipscope/metrics';
import { CatalogLookup } from '../../apps/server/src/http/catalogLookup';
import { readSparklines } from '../../apps/server/src/http/sparklines';
import { resolveTimeRange } from '../../apps/server/src/http/timeRange';
import { defaultStoreMetrics, deleteKeys } from '../../apps/server/src/http/testing/harness';
import { loadDataset, METRIC, type ApiDataset } from './dataset';

const PREFIX = process.env['BENCH_API_PREFIX'] ?? 'benchapi';
const MARKER = `${PREFIX}:dataset:v2`;
const REQUESTS = Math.min(Math.max(Number(process.env['BENCH_PROFILE_REQUESTS'] ?? 300), 10), 2000);
const say = (line: string) => process.stderr.write(`topProfile: ${line}\n`);

interface Row {
  i: number;
  hourChange: boolean;
  newest: number;
  top: number;
  topCpu: number;
  spark: number;
  sparkCpu: number;
  json: number;
  total: number;
  gc: number;
}

async function main(): Promise<void> {
  const { redisUrl } = await ensureServices(say);
  const redis = new Redis(redisUrl);
  const store = createStore(redis, { prefix: PREFIX, metrics: defaultStoreMetrics() });
  const saved = await redis.get(MARKER);
  let dataset: ApiDataset;
  if (saved && process.env['BENCH_REUSE'] === '1') dataset = JSON.parse(saved) as ApiDataset;
  else {
    await deleteKeys(redis, `{${PREFIX}*`);
    const t0 = performance.now();
    dataset = await loadDataset(store, { end: Math.floor(Date.now() / 60_000) * 60 - 60, ips: 100_000, busyCount: 1000 });
    say(`loaded ${dataset.samples} samples in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await redis.set(MARKER, JSON.stringify(dataset));
  }
  const lookup = new CatalogLookup(describeCatalog(compileCatalog(defaultCatalog)), store);
  const metric = lookup.metric(METRIC);
  const interval = lookup.interval('days', [metric]);

  let gcMs = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  gcObserver.observe({ entryTypes: ['gc'] });

  const redisPid = Number(/process_id:(\d+)/.exec(await redis.info('server'))?.[1] ?? 0);
  const redisCpu = () => {
    try {
      const stat = fs.readFileSync(`/proc/${redisPid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) * 10;
    } catch {
      return Number.NaN;
    }
  };
  const redisCpu0 = redisCpu();
  const node0 = process.cpuUsage();
  const rows: Row[] = [];
  let lastHour = -1;
  const startShift = Number(process.env['BENCH_PROFILE_SHIFT'] ?? 1);
  for (let i = 0; i < REQUESTS; i++) {
    const shift = startShift + i;
    const gc0 = gcMs;
    const t0 = performance.now();
    const newest = await store.newest();
    const t1 = performance.now();
    const range = resolveTimeRange({ from: dataset.start - shift * 60, to: dataset.end - shift * 60 }, interval, newest, Date.now());
    const c0 = process.cpuUsage();
    const entries = await store.top({ metric: METRIC, interval: 'days', from: range.from, to: range.to - 1, limit: 100 });
    const t2 = performance.now();
    const c1 = process.cpuUsage(c0);
    const c2 = process.cpuUsage();
    const spark = await readSparklines(store, metric, interval, range, entries.map((e) => e.entity), 30);
    const t3 = performance.now();
    const c3 = process.cpuUsage(c2);
    const json = JSON.stringify({ metric: METRIC, items: entries.map((e, k) => ({ ip: e.entity, value: e.value, sparkline: spark.lines[k] })) });
    const t4 = performance.now();
    if (json.length < 1000) throw new Error('empty answer');
    const hour = Math.floor((range.to - 60) / 3600);
    rows.push({
      i,
      hourChange: lastHour !== -1 && hour !== lastHour,
      newest: t1 - t0,
      top: t2 - t1,
      topCpu: (c1.user + c1.system) / 1000,
      spark: t3 - t2,
      sparkCpu: (c3.user + c3.system) / 1000,
      json: t4 - t3,
      total: t4 - t0,
      gc: gcMs - gc0,
    });
    lastHour = hour;
  }
  gcObserver.disconnect();
  const nodeCpu = process.cpuUsage(node0);
  const redisMsPerRequest = Math.round(((redisCpu() - redisCpu0) / REQUESTS) * 100) / 100;
  const nodeMsPerRequest = Math.round(((nodeCpu.user + nodeCpu.system) / 1000 / REQUESTS) * 100) / 100;

  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return Math.round((s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? Number.NaN) * 100) / 100;
  };
  const fields = ['newest', 'top', 'topCpu', 'spark', 'sparkCpu', 'json', 'gc', 'total'] as const;
  const summary: Record<string, unknown> = { bench: 'apiTopProfile', requests: REQUESTS, redisMsPerRequest, nodeMsPerRequest, loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100) };
  for (const f of fields) summary[f] = { p50: pct(rows.map((r) => r[f]), 0.5), p95: pct(rows.map((r) => r[f]), 0.95), p99: pct(rows.map((r) => r[f]), 0.99) };
  const slow = [...rows].sort((a, b) => b.total - a.total).slice(0, Math.ceil(REQUESTS * 0.06));
  for (const r of slow) {
    say(`#${r.i}${r.hourChange ? ' HOUR' : ''}: total ${r.total.toFixed(1)} = newest ${r.newest.toFixed(1)} + top ${r.top.toFixed(1)} (cpu ${r.topCpu.toFixed(1)}) + spark ${r.spark.toFixed(1)} (cpu ${r.sparkCpu.toFixed(1)}) + json ${r.json.toFixed(1)}; gc ${r.gc.toFixed(1)}`);
  }
  summary['hourChanges'] = rows.filter((r) => r.hourChange).map((r) => ({ i: r.i, total: Math.round(r.total * 10) / 10, top: Math.round(r.top * 10) / 10 }));
  summary['slowestHaveHourChange'] = slow.filter((r) => r.hourChange).length;
  summary['slowestGcMs'] = Math.round(slow.reduce((a, r) => a + r.gc, 0) * 10) / 10;
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  await redis.quit();
}

main().catch((error: unknown) => {
  process.stderr.write(`topProfile failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
