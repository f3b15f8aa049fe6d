/**
 * The server's drawing of an IP page on its event loop against the drawing threads
 * (`ChartDrawer`), side by side in one process (a diagnostic for `pnpm bench:web`):
 * `tsx bench/web/drawThreads.ts [page url] [pairs] [threads]` reads the page's answers from a
 * running server (e.g. `profile.ts serve`) with the page's own requests, or without a URL
 * (`-`) draws a made-up page of the usual shape (`warmUpJob`); then draws it `pairs` times each
 * way, alternating which goes first, and prints one JSON object: per side the median process
 * CPU (every thread) and wall time per page.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { CatalogResponse } from '../../packages/api/src/index';
import { DEFAULT_CHART_WIDTH, landingChartRequests } from '../../apps/web/serverContract';
import { ChartDrawer } from '../../apps/server/src/http/chartDrawer';
import { warmUpJob } from '../../apps/server/src/http/drawerWarmUp';
import { drawChartFigure, planLanding, type LandingDrawJob } from '../../apps/server/src/http/landingDrawing';
import { createLogger } from '../../apps/server/src/log';

const [target, pairsText, threadsText] = process.argv.slice(2);
const pairs = Number(pairsText ?? 12);
const threads = Number(threadsText ?? 2);

async function pageJob(url: string): Promise<LandingDrawJob> {
  const page = new URL(url);
  const get = async (path: string): Promise<Uint8Array> => {
    const res = await fetch(new URL(path, page.origin));
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return new Uint8Array(await res.arrayBuffer());
  };
  const catalog = JSON.parse(new TextDecoder().decode(await get('/api/metrics'))) as CatalogResponse;
  const location = { pathname: page.pathname, search: page.search };
  const now = Math.floor(Date.now() / 1000);
  const requests = landingChartRequests(location, catalog, now);
  if (!requests) throw new Error(`${url} is not an IP page with metrics`);
  const bodies = [];
  for (const u of [...requests.series, requests.alerts]) bodies.push(await get(u));
  return { location, catalog, now, bodies, theme: 'dark', width: DEFAULT_CHART_WIDTH };
}

const job = target && target !== '-' ? await pageJob(target) : warmUpJob();
const drawer = new ChartDrawer({ threads, log: createLogger('bench') });
await drawer.ready();
const onLoop = async () => {
  const planned = planLanding(job);
  for (const chart of planned?.charts ?? []) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    drawChartFigure(chart, job.theme, job.width);
  }
};
const inThreads = async () => {
  const page = drawer.draw(job);
  await page.plan;
  for await (const chart of page.charts()) void chart;
};
const sides = { loop: onLoop, threads: inThreads };
const figures: Record<keyof typeof sides, { cpuMs: number[]; wallMs: number[] }> = { loop: { cpuMs: [], wallMs: [] }, threads: { cpuMs: [], wallMs: [] } };
// Warm-up of the event loop's drawing (the threads warm themselves up when they start).
for (let i = 0; i < 4; i++) await onLoop();
for (let i = 0; i < pairs; i++) {
  for (const side of i % 2 === 0 ? (['loop', 'threads'] as const) : (['threads', 'loop'] as const)) {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await sides[side]();
    const used = process.cpuUsage(cpu);
    figures[side].cpuMs.push((used.user + used.system) / 1000);
    figures[side].wallMs.push(performance.now() - started);
  }
}
await drawer.close();
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2);
};
const summary = (side: keyof typeof sides) => ({ cpuMsPerPage: median(figures[side].cpuMs), wallMsPerPage: median(figures[side].wallMs) });
process.stdout.write(
  `${JSON.stringify({
    page: target && target !== '-' ? target : 'made-up (warmUpJob)',
    charts: planLanding(job)?.plan.keys.length ?? 0,
    threads,
    pairs,
    loadAverage1m: Math.round(os.loadavg()[0]! * 10) / 10,
    loop: summary('loop'),
    inThreads: summary('threads'),
  })}\n`,
);
