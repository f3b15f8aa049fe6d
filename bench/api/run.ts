/**
 * Chart-data API benchmark: latency percentiles and requests/s of the two hot endpoints,
 * over HTTP against the real server process, side by side with the same reads made directly
 * on the store in-process (the floor the API adds to), in one run.
 *
 * Data (written through the store into the shared Redis, under its own prefix, deleted at the
 * end unless BENCH_KEEP=1): 100 000 IPs; the busiest 1 000 with a bucket every minute for
 * 2 days (2 880 buckets), the rest with three small buckets each.
 *
 * Load: autocannon on 127.0.0.1 only, a fixed number of connections for a fixed time (bounded),
 * against one server process started by this script. Latencies are every response's time as
 * autocannon measured it (exact percentiles, not histogram buckets).
 *
 *   pnpm bench:api                         # defaults
 *   BENCH_SECONDS=5 BENCH_CONNECTIONS=8 pnpm bench:api
 *   BENCH_KEEP=1 pnpm bench:api && BENCH_REUSE=1 pnpm bench:api   # keep the data, then reuse it
 *   BENCH_API_BEFORE=<dir> pnpm bench:api   # also an API server from <dir> (an older checkout, e.g. made by
 *                                           # `git archive`): its series phases and computed top-100 run beside this one's
 *   BENCH_API_PREFIX=apiseries pnpm bench:api   # own data set next to another run (a prefix that does not start with another run's: clean-up deletes {prefix*)
 *
 * Last line: one JSON object with every figure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { ensureServices } from '@ipscope/testkit';
import { createStore } from '@ipscope/timeseries';
import { defaultStoreMetrics, deleteKeys } from '../../apps/server/src/http/testing/harness';
import { loadDataset, METRIC, type ApiDataset } from './dataset';

const SECONDS = Math.min(Math.max(Number(process.env['BENCH_SECONDS'] ?? 10), 2), 60);
const CONNECTIONS = Math.min(Math.max(Number(process.env['BENCH_CONNECTIONS'] ?? 10), 1), 64);
const IPS = Math.min(Math.max(Number(process.env['BENCH_IPS'] ?? 100_000), 2000), 200_000);
const BUSY = 1000;
// Own prefix per engineer when several run this benchmark on one shared Redis at once.
const PREFIX = process.env['BENCH_API_PREFIX'] ?? 'benchapi';
const MARKER = `${PREFIX}:dataset:v2`;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const say = (line: string) => process.stderr.write(`bench:api: ${line}\n`);

interface Figures {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  /** CPU cores used on average during the phase: the load generator (this process) and the server process. */
  cpu?: { loadGenerator: number; server: number | null; serverMsPerRequest: number | null; loadGeneratorMsPerRequest: number | null };
}

/** CPU seconds (user + system) a process has used so far, from /proc; null where unreadable. */
function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // fields after the command name: state is field 3; utime and stime are fields 14 and 15, in clock ticks (100/s)
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function figures(latencies: number[], seconds: number, errors: number): Figures {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    requests: sorted.length,
    seconds: round(seconds),
    rps: Math.round(sorted.length / seconds),
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    max: round(at(1)),
    errors,
  };
}

/** Drives the server with autocannon; `pathFor` picks each request's path. */
async function http(url: string, name: string, pathFor: () => string, seconds = SECONDS, connections = CONNECTIONS, serverPid?: number): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const server0 = processCpuSeconds(serverPid);
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url, connections, duration: seconds, requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: pathFor() }) }] },
      (error: unknown, res: autocannon.Result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(res)),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status === 200) latencies.push(ms);
      else errors++;
    });
  });
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const server1 = processCpuSeconds(serverPid);
  errors += result.errors + result.timeouts;
  const f = figures(latencies, Math.min(elapsed, result.duration || elapsed), errors);
  const cores = (x: number) => Math.round(x * 100) / 100;
  const serverSeconds = server0 === null || server1 === null ? null : server1 - server0;
  const perRequest = (s: number | null) => (s === null || f.requests === 0 ? null : Math.round((s / f.requests) * 1e5) / 100);
  f.cpu = {
    loadGenerator: cores((cpu.user + cpu.system) / 1e6 / elapsed),
    server: serverSeconds === null ? null : cores(serverSeconds / elapsed),
    // CPU per answer moves less than req/s on a shared machine: a starved process waits, it does not work more
    serverMsPerRequest: perRequest(serverSeconds),
    loadGeneratorMsPerRequest: perRequest((cpu.user + cpu.system) / 1e6),
  };
  say(`${name}: ${f.rps} req/s, p50 ${f.p50} ms, p95 ${f.p95} ms, p99 ${f.p99} ms, errors ${f.errors}, CPU cores: load generator ${f.cpu.loadGenerator}, server ${f.cpu.server ?? '?'} (${f.cpu.serverMsPerRequest ?? '?'} ms per answer)`);
  return f;
}

/** The same reads on the store in-process: CONNECTIONS concurrent loops for SECONDS. */
async function direct(name: string, read: () => Promise<unknown>, seconds = SECONDS, connections = CONNECTIONS): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await read();
          latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const f = figures(latencies, (performance.now() - started) / 1000, errors);
  say(`${name}: ${f.rps} req/s, p50 ${f.p50} ms, p95 ${f.p95} ms, p99 ${f.p99} ms`);
  return f;
}

/** Starts bench/api/server.ts of the checkout in `dir` as its own node process (its pid is the server's). */
async function startServer(redisUrl: string, dir = root): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(dir, 'bench/api/server.ts')], {
    cwd: dir,
    env: { ...process.env, REDIS_URL: redisUrl, BENCH_PREFIX: PREFIX, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the API server did not start within 60 s')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`the API server exited with ${code}`)));
  });
  return { url, child };
}

async function main(): Promise<void> {
  const { redisUrl } = await ensureServices(say);
  const redis = new Redis(redisUrl);
  const store = createStore(redis, { prefix: PREFIX, metrics: defaultStoreMetrics() });

  let dataset: ApiDataset;
  const saved = await redis.get(MARKER);
  const reuse = saved ? (JSON.parse(saved) as ApiDataset) : undefined;
  let loadSeconds: number | null = null;
  // Reuse only on request: the store's key layout may change between runs, and old data would read as empty.
  if (reuse && reuse.ips === IPS && process.env['BENCH_REUSE'] === '1') {
    dataset = reuse;
    say(`reusing the data set loaded earlier (${dataset.samples} samples)`);
  } else {
    await deleteKeys(redis, `{${PREFIX}*`);
    const memBefore = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
    const t0 = performance.now();
    let lastReport = 0;
    dataset = await loadDataset(store, {
      end: Math.floor(Date.now() / 60_000) * 60 - 60,
      ips: IPS,
      busyCount: BUSY,
      onProgress: (n) => {
        if (n - lastReport >= 500_000) {
          lastReport = n;
          say(`loaded ${n} samples`);
        }
      },
    });
    loadSeconds = (performance.now() - t0) / 1000;
    const memAfter = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
    say(`loaded ${dataset.samples} samples for ${dataset.ips} IPs in ${loadSeconds.toFixed(1)} s (Redis memory +${((memAfter - memBefore) / 1e6).toFixed(0)} MB)`);
    await redis.set(MARKER, JSON.stringify(dataset));
  }

  let k = 0;
  const nextBusy = () => dataset.busy[(k = (k * 7919 + 13) % BUSY)]!;
  const seriesQuery = (ip: string) => `/api/ips/${ip}/series?metrics=${METRIC}&interval=days&from=${dataset.start}&to=${dataset.end}&maxPoints=2880`;
  const topQuery = `/api/entities/top?metric=${METRIC}&interval=days&from=${dataset.start}&to=${dataset.end}&limit=100`;
  const topQuery6h = `/api/entities/top?metric=${METRIC}&interval=days&limit=100`;
  // Distinct 2-day ranges (shifted by whole minutes), so the overview cache never answers: the cost of computing.
  let shift = 0;
  const topQueryUncached = () => {
    shift = (shift + 1) % 1000;
    return `/api/entities/top?metric=${METRIC}&interval=days&from=${dataset.start - shift * 60}&to=${dataset.end - shift * 60}&limit=100`;
  };

  const server = await startServer(redisUrl);
  const beforeDir = process.env['BENCH_API_BEFORE'];
  const before = beforeDir ? await startServer(redisUrl, path.resolve(beforeDir)) : null;
  // (a) every request a different IP and range, so no answer is ever asked for twice (the cost of reading).
  let distinct = 0;
  const seriesQueryUncached = () => {
    const n = distinct++;
    const shift = Math.floor(n / BUSY) % 1440;
    return `/api/ips/${dataset.busy[n % BUSY]!}/series?metrics=${METRIC}&interval=days&from=${dataset.start - shift * 60}&to=${dataset.end - shift * 60}&maxPoints=2880`;
  };
  try {
    // Sanity: the endpoints answer what the benchmark claims to measure, from data that reads back.
    const top = (await (await fetch(`${server.url}${topQuery}`)).json()) as { items: Array<{ ip: string; value: number; sparkline: unknown[] }> };
    const first = top.items[0];
    if (!first) throw new Error('top-100 returned nothing');
    const series = (await (await fetch(`${server.url}${seriesQuery(first.ip)}`)).json()) as { series: Array<{ points: Array<[number, number]> }> };
    const points = series.series[0]?.points ?? [];
    if (points.length !== 2880) throw new Error(`series returned ${points.length} points, not 2880`);
    const sum = points.reduce((a, [, v]) => a + v, 0);
    if (sum <= 0 || sum !== first.value || points.some(([, v]) => v < 5)) throw new Error(`series of ${first.ip} sums to ${sum}, top says ${first.value}: the data does not read back`);
    if (top.items.length !== 100 || !top.items.every((i) => i.ip.startsWith('10.0.') && i.sparkline.length >= 20 && i.sparkline.length <= 30)) throw new Error('top-100 did not return the 100 busy IPs with sparklines of 20 to 30 points');

    say(`warming up (${CONNECTIONS} connections)`);
    await http(server.url, 'warm-up series', () => seriesQuery(nextBusy()), 2);
    await http(server.url, 'warm-up top', () => topQuery, 2);

    // The HTTP floor on this machine: a request that touches nothing (no Redis), one at a time.
    const floorHttp1 = await http(server.url, 'HTTP floor: GET /api/session (no Redis), 1 connection', () => '/api/session', SECONDS, 1);
    const storeSeries = () => store.series({ metric: METRIC, entity: nextBusy(), interval: 'days', from: dataset.start, to: dataset.end - 1 });
    // One request at a time: latency without queueing; then CONNECTIONS at once: throughput.
    const seriesStore1 = await direct('series, store in-process, 1 at a time', storeSeries, SECONDS, 1);
    const seriesHttp1 = await http(server.url, 'series over HTTP (2 880 points), 1 connection', () => seriesQuery(nextBusy()), SECONDS, 1);
    const seriesStore = await direct('series, store in-process', storeSeries);
    // (b) the benchmark's own mix: the busy IPs in turn over the same 2 days (answers repeat, as when analysts reopen hosts).
    const seriesHttp = await http(server.url, 'series over HTTP (2 880 points), (b) the mix: busy IPs, same range', () => seriesQuery(nextBusy()), SECONDS, CONNECTIONS, server.child.pid);
    const seriesHttpBefore = before ? await http(before.url, 'BEFORE: series over HTTP, (b) the mix', () => seriesQuery(nextBusy()), SECONDS, CONNECTIONS, before.child.pid) : null;
    const seriesHttpUncached = await http(server.url, 'series over HTTP (2 880 points), (a) every request a different IP/range', seriesQueryUncached, SECONDS, CONNECTIONS, server.child.pid);
    const seriesHttpUncachedBefore = before ? await http(before.url, 'BEFORE: series over HTTP, (a) every request different', seriesQueryUncached, SECONDS, CONNECTIONS, before.child.pid) : null;
    const seriesHttp1Uncached = await http(server.url, 'series over HTTP, (a) every request different, 1 connection', seriesQueryUncached, SECONDS, 1, server.child.pid);
    // top runs a script per shard inside Redis, so concurrent rankings only queue there: one at a time.
    const topStore = await direct('top-100, store in-process (no sparklines), 1 at a time', () => store.top({ metric: METRIC, interval: 'days', from: dataset.start, to: dataset.end - 1, limit: 100 }), SECONDS, 1);
    const topHttp = await http(server.url, 'top-100 over HTTP, 2 days, with sparklines, computed every time, 1 connection', topQueryUncached, SECONDS, 1, server.child.pid);
    // the older checkout's server on the next ranges (kept sums of closed hours are shared: same keys, same sums)
    const topHttpBefore = before ? await http(before.url, 'BEFORE: top-100 over HTTP, computed every time, 1 connection', topQueryUncached, SECONDS, 1, before.child.pid) : null;
    const topHttpAgain = before ? await http(server.url, 'top-100 over HTTP, computed every time, 1 connection, again after BEFORE', topQueryUncached, SECONDS, 1, server.child.pid) : null;
    const topHttpCached = await http(server.url, 'top-100 over HTTP, 2 days, same request repeated (overview cache)', () => topQuery);
    const topHttp6h = await http(server.url, 'top-100 over HTTP, last 6 h, same request repeated (overview cache)', () => topQuery6h);

    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    const summary = {
      bench: 'api',
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${os.platform()} ${os.release()}` },
      settings: { seconds: SECONDS, connections: CONNECTIONS, serverProcesses: 1 },
      dataset: { ips: dataset.ips, busyIps: BUSY, bucketsPerBusyIp: 2880, samples: dataset.samples, loadSeconds: loadSeconds === null ? null : Math.round(loadSeconds * 10) / 10 },
      httpFloor1Connection: floorHttp1,
      seriesHttp1Connection: seriesHttp1,
      seriesStore1AtATime: seriesStore1,
      seriesHttp,
      seriesHttpUncached,
      seriesHttp1Uncached,
      seriesStore,
      ...(before ? { before: { dir: beforeDir, seriesHttp: seriesHttpBefore, seriesHttpUncached: seriesHttpUncachedBefore, top100Http: topHttpBefore }, top100HttpAgain: topHttpAgain } : {}),
      top100Http: topHttp,
      top100HttpRepeated: topHttpCached,
      top100Http6hRepeated: topHttp6h,
      top100Store: topStore,
      ratios: {
        seriesHttpP50OverStore1AtATime: ratio(seriesHttp1.p50, seriesStore1.p50),
        seriesHttpP50OverStore: ratio(seriesHttp.p50, seriesStore.p50),
        seriesHttpRpsOverStore: ratio(seriesHttp.rps, seriesStore.rps),
        seriesHttpUncachedRpsOverStore: ratio(seriesHttpUncached.rps, seriesStore.rps),
        ...(seriesHttpBefore && seriesHttpUncachedBefore
          ? { seriesHttpRpsAfterOverBefore: ratio(seriesHttp.rps, seriesHttpBefore.rps), seriesHttpUncachedRpsAfterOverBefore: ratio(seriesHttpUncached.rps, seriesHttpUncachedBefore.rps) }
          : {}),
        top100HttpP50OverStore: ratio(topHttp.p50, topStore.p50),
        ...(topHttpBefore ? { top100HttpP95AfterOverBefore: ratio(topHttp.p95, topHttpBefore.p95), top100HttpP50AfterOverBefore: ratio(topHttp.p50, topHttpBefore.p50) } : {}),
      },
      targets: {
        seriesP95Ms: { target: 10, measured: seriesHttp.p95, measured1Connection: seriesHttp1.p95, measured1ConnectionEveryRequestDifferent: seriesHttp1Uncached.p95, met: seriesHttp.p95 <= 10 },
        top100P95Ms: { target: 25, measured: topHttp.p95, met: topHttp.p95 <= 25 },
        seriesRps: { target: 2000, measured: seriesHttp.rps, met: seriesHttp.rps >= 2000, measuredEveryRequestDifferent: seriesHttpUncached.rps, metEveryRequestDifferent: seriesHttpUncached.rps >= 2000 },
      },
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    for (const s of before ? [server, before] : [server]) {
      s.child.kill('SIGTERM');
      await new Promise((r) => s.child.once('exit', r));
    }
    if (process.env['BENCH_KEEP'] !== '1') {
      await deleteKeys(redis, `{${PREFIX}*`);
      await redis.del(MARKER);
    }
    await redis.quit();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:api failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
