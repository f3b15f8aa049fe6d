/**
 * `pnpm bench:web`: how fast the dashboard draws, measured in Debian's Chromium with the
 * page's own performance marks, against the production build and server with data sent
 * through real Kafka. Prints progress on stderr and one JSON object on its last stdout line.
 *
 * - ipPageColdPaintedMs (session 6): navigation to /ip/<busiest> in a fresh browser context → every
 *   default chart's server-drawn SVG painted (`ipscope:server-charts-painted`: an inline script after
 *   the last drawing marks the frame after it was parsed). Only loads where the server drew every
 *   chart the page then draws count (`serverDrawnCharts` says how many loads had them, of how many).
 *   The server keeps drawn pages for the same answers, so after the warm-up this is mostly a cached
 *   drawing; ipPageColdUncachedPaintedMs: the same with the window moved back one more minute per
 *   load (new answers: read and drawn anew).
 * - ipPageColdMs: navigation to /ip/<busiest> in a fresh browser context → every default
 *   chart drawn by its interactive ECharts instance (`ipscope:charts-drawn`, on the navigation clock).
 *   ipPageColdVisibleMs: the same navigation → the charts on screen drawn (`ipscope:charts-visible`).
 * - ipPageReturningMs: the same navigation in a new tab of a browser that has opened the page
 *   before (its HTTP cache and V8's code cache warm, as for an analyst who uses ipscope daily and
 *   opens a link from a ticket) → every chart drawn. Reported beside the cold figure, not instead.
 * - ipPageInAppMs: a click on the overview's busiest IP → every chart drawn.
 * - singleMetricColdMs: the same cold navigation with one metric, side by side (ratio).
 * - zoomMs: "Zoom in" pressed → the charts on screen redrawn (`ipscope:zoom`). Target ≤ 100 ms.
 *   zoomAllMs: the same → every chart shows the new window where it can be seen (`ipscope:zoom-all`):
 *   since session 2 (commit after 7772df3) a zoom redraws the charts on screen and marks the others
 *   to redraw as they scroll into view (drawScheduler's lazy draws), so this equals zoomMs but for
 *   a chart that scrolls in during the measurement; before, it waited for every off-screen chart.
 *   zoomScrolledMs: after a zoom, scrolling the last chart into view → it shows the new window
 *   (the lazy redraw's cost, paid when the analyst looks).
 * - bundle: main bundle (entry + preloaded chunks) gzipped. Target < 400 kB.
 * - Session 7: every IP page load ends once its summary is shown as well (after the figures above are
 *   taken), so a load's reads never run into the next load; per cold load, where the time went
 *   (`ipPageColdBreakdown`, `ipPageColdUncachedBreakdown`: loadBreakdown.ts) and the server's CPU
 *   (`serverCpuMsPerLoad`: the server's process tree, from navigation until the summary is shown).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { freePort, repoRoot, ZeekConnGenerator } from '@ipscope/testkit';
import { startStack } from '../../e2e/support/stack';
import { bundleSizes } from './bundle';
import { LOAD_BREAKDOWN_SCRIPT, LONG_TASKS_INIT_SCRIPT, summarizeBreakdowns, type LoadBreakdown } from './loadBreakdown';
import { cpuSeconds, processTree } from '../shared/processCpu';
import { percentile, summarize } from './stats';

const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 7);
const HOURS = 24;
const RATE = Number(process.env.BENCH_WEB_RATE ?? 2);
const say = (line: string) => process.stderr.write(`bench:web: ${line}\n`);

say('building the web app (production)');
execFileSync('pnpm', ['--filter', '@ipscope/web', 'run', 'build'], { cwd: repoRoot(), stdio: ['ignore', 'ignore', 'inherit'] });
const bundle = bundleSizes(path.join(repoRoot(), 'apps/web/dist'));

const runId = Math.floor(Date.now() / 1000);
const to = Math.floor(runId / 60) * 60;
const records = [...new ZeekConnGenerator({ seed: 11 }).between(to - HOURS * 3600, to, RATE)];
const counts = new Map<string, number>();
for (const r of records) counts.set(r['id.resp_h'], (counts.get(r['id.resp_h']) ?? 0) + 1);
const [busiest] = [...counts].sort((a, b) => b[1] - a[1]);
if (!busiest) throw new Error('the benchmark dataset is empty');

const stack = await startStack({ topic: `bench.web.${runId}`, prefix: `bw${runId}`, group: `bench-web-${runId}`, port: await freePort(), records, log: say });
let browser: Browser | undefined;
try {
  say(`waiting until all ${records.length} records are ingested`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    const res = await fetch(`${stack.url}/api/totals?interval=days&from=${to - HOURS * 3600}&to=${to}`);
    const body = res.ok ? ((await res.json()) as { totals: Record<string, number> }) : undefined;
    if (body?.totals['conn.count.orig'] === records.length) break;
    if (Date.now() > deadline) throw new Error(`ingest did not finish: ${JSON.stringify(body?.totals ?? res.status)}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const catalog = (await (await fetch(`${stack.url}/api/metrics`)).json()) as { metrics: Array<{ name: string; intervals: string[] }> };
  const chartCount = catalog.metrics.filter((m) => m.intervals.includes('days')).length;

  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const ip = busiest[0];
  // Pinned to the dataset's 24 hours (paused: no live refresh during a measurement).
  const view = `?from=${to - HOURS * 3600}&to=${to}&live=0`;

  const fresh = async (): Promise<{ page: Page; close: () => Promise<void> }> => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addInitScript(LONG_TASKS_INIT_SCRIPT);
    const page = await context.newPage();
    page.on('pageerror', (e) => say(`page error: ${e.message}`));
    return { page, close: () => context.close() };
  };
  const markTime = (page: Page, name: string) =>
    page.waitForFunction((n) => performance.getEntriesByName(n).at(-1)?.startTime, name, { timeout: 60_000, polling: 50 }).then((h) => h.jsonValue() as Promise<number>);

  /** The server-drawn charts' paint mark, if the server drew every chart the page drew (else undefined, counted as a miss). */
  const paintedMark = async (page: Page): Promise<number | undefined> => {
    const [painted, drawnByServer, charts] = (await page.evaluate(`[
      performance.getEntriesByName('ipscope:server-charts-painted').at(-1)?.startTime ?? null,
      document.querySelectorAll('[data-testid^="chart-"][data-server-drawing]').length,
      document.querySelectorAll('[data-testid="metric-chart"]').length,
    ]`)) as [number | null, number, number];
    return painted !== null && charts > 0 && drawnByServer === charts ? painted : undefined;
  };
  /** Waits until the IP page shows its summary (session 7: read after the charts' data, it may come after every chart is drawn). */
  const summaryShown = (page: Page) => page.getByTestId('ip-summary').waitFor({ timeout: 60_000 });
  const serverDrawn = { loads: 0, withEveryChart: 0 };
  const serverPid = stack.server.pid;
  if (serverPid === undefined) throw new Error('the server process has no pid');
  /** CPU milliseconds the server (tsx and the Node process it runs) has used so far. */
  const serverCpuMs = () => cpuSeconds(processTree(serverPid)) * 1000;
  /** Where the cold loads' time went (session 7), and the server's CPU per load (every request of it, until every chart is interactive). */
  const breakdowns = { cached: [] as LoadBreakdown[], uncached: [] as LoadBreakdown[] };
  const serverCpu = { cached: [] as number[], uncached: [] as number[] };
  const cold = async (query: string, visible?: number[], painted?: number[], kind?: 'cached' | 'uncached'): Promise<number> => {
    const { page, close } = await fresh();
    const cpuBefore = serverCpuMs();
    await page.goto(`${stack.url}/ip/${ip}${query}`);
    const ms = await markTime(page, 'ipscope:charts-drawn');
    // The page is whole once its summary is shown too; closing it sooner would leave the summary's read running into the next load.
    await summaryShown(page);
    if (kind) {
      serverCpu[kind].push(serverCpuMs() - cpuBefore);
      breakdowns[kind].push((await page.evaluate(LOAD_BREAKDOWN_SCRIPT)) as LoadBreakdown);
    }
    visible?.push(await markTime(page, 'ipscope:charts-visible'));
    if (painted) {
      const p = await paintedMark(page);
      serverDrawn.loads++;
      if (p !== undefined) {
        serverDrawn.withEveryChart++;
        painted.push(p);
      }
    }
    await close();
    return ms;
  };

  // One context for the returning analyst: two visits first, since Chromium keeps a script's
  // compiled code after its second run and uses it from the third.
  const returningContext = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const revisit = async (): Promise<number> => {
    const page = await returningContext.newPage();
    page.on('pageerror', (e) => say(`page error: ${e.message}`));
    await page.goto(`${stack.url}/ip/${ip}${view}`);
    const ms = await markTime(page, 'ipscope:charts-drawn');
    await summaryShown(page);
    await page.close();
    return ms;
  };

  const ipColdVisible: number[] = [];
  const ipColdPainted: number[] = [];
  const ipColdUncachedPainted: number[] = [];
  const ipColdUncached: number[] = [];
  const returning: number[] = [];
  const zoomAll: number[] = [];
  const ipCold: number[] = [];
  const single: number[] = [];
  const inApp: number[] = [];
  const zoom: number[] = [];
  const zoomScrolled: number[] = [];
  say(`measuring: ${RUNS} runs, ${chartCount} charts of ${ip}`);
  // Warm-up run (server caches, Chromium's code cache), not counted.
  await cold(view);
  await revisit();
  await revisit();
  for (let i = 0; i < RUNS; i++) {
    const paintedBefore = [ipColdPainted.length, ipColdUncachedPainted.length];
    ipCold.push(await cold(view, ipColdVisible, ipColdPainted, 'cached'));
    // A window the server has not drawn yet: one more minute back per load.
    const back = (i + 1) * 60;
    ipColdUncached.push(await cold(`?from=${to - HOURS * 3600 - back}&to=${to - back}&live=0`, undefined, ipColdUncachedPainted, 'uncached'));
    returning.push(await revisit());
    single.push(await cold(`${view}&metrics=conn.count.resp`));

    const { page, close } = await fresh();
    await page.goto(`${stack.url}/${view}`);
    const link = page.getByTestId('top-row').first().getByRole('link');
    await link.waitFor();
    await page.evaluate(() => performance.mark('bench:click'));
    await link.click();
    const drawn = await markTime(page, 'ipscope:charts-drawn');
    const clicked = await page.evaluate(() => performance.getEntriesByName('bench:click')[0]!.startTime);
    inApp.push(drawn - clicked);

    for (let z = 0; z < 3; z++) {
      const before = await page.evaluate(() => performance.getEntriesByName('ipscope:zoom').length);
      await page.getByTestId('zoom-in').click();
      await page.waitForFunction((n) => performance.getEntriesByName('ipscope:zoom').length > n, before, { timeout: 30_000 });
      zoom.push(await page.evaluate(() => performance.getEntriesByName('ipscope:zoom').at(-1)!.duration));
      await page.waitForFunction((n) => performance.getEntriesByName('ipscope:zoom-all').length > n, before, { timeout: 30_000 });
      zoomAll.push(await page.evaluate(() => performance.getEntriesByName('ipscope:zoom-all').at(-1)!.duration));
    }
    // The last chart was off screen during the zooms: scroll it in and time until it shows the zoomed window and is painted.
    zoomScrolled.push(
      // Page code as text: the bench is type-checked without the DOM library.
      Number(
        await page.evaluate(`(async () => {
          const charts = [...document.querySelectorAll('[data-testid^="chart-"][data-window]')];
          const first = charts[0];
          const last = charts.at(-1);
          const started = performance.now();
          last.scrollIntoView();
          for (let frames = 0; last.dataset.window !== first.dataset.window; frames++) {
            if (frames > 600) throw new Error('the scrolled-in chart did not take the zoomed window within 600 frames');
            await new Promise((r) => requestAnimationFrame(r));
          }
          // The window is applied; ECharts paints it in the next frame.
          await new Promise((r) => requestAnimationFrame(r));
          await new Promise((r) => requestAnimationFrame(r));
          return performance.now() - started;
        })()`),
      ),
    );
    await close();
    say(
      // A load without every chart drawn by the server prints "none".
      `run ${i + 1}/${RUNS}: cold painted ${ipColdPainted.length > paintedBefore[0]! ? Math.round(ipColdPainted.at(-1)!) : 'none'} ms (uncached ${ipColdUncachedPainted.length > paintedBefore[1]! ? Math.round(ipColdUncachedPainted.at(-1)!) : 'none'}), cold ${Math.round(ipColdVisible.at(-1)!)}/${Math.round(ipCold.at(-1)!)} ms (visible/all; uncached all ${Math.round(ipColdUncached.at(-1)!)}), returning ${Math.round(returning.at(-1)!)} ms, one metric ${Math.round(single.at(-1)!)} ms, ` +
        `in-app ${Math.round(inApp.at(-1)!)} ms, zoom ${zoom.slice(-3).map(Math.round).join('/')} ms, zoom all ${zoomAll.slice(-3).map(Math.round).join('/')} ms, ` +
        `scrolled-in chart ${Math.round(zoomScrolled.at(-1)!)} ms; ` +
        (['cached', 'uncached'] as const)
          .map((k) => {
            const b = breakdowns[k].at(-1)!;
            const r = (n: number | null) => (n === null ? '-' : Math.round(n));
            return `${k}: html ${r(b.htmlFirstByte)}-${r(b.htmlEnd)} ms (${Math.round(b.htmlBytes / 1024)} kB), parsed ${r(b.parsed)}, long tasks ${Math.round(b.longTaskMsBeforePainted)} ms, series asked ${r(b.seriesRequested)} first byte ${r(b.seriesFirstByte)}, server CPU ${Math.round(serverCpu[k].at(-1)!)} ms`;
          })
          .join('; '),
    );
  }

  const result = {
    benchmark: 'web',
    machine: { cpus: (await import('node:os')).cpus().length, chromium: browser.version() },
    dataset: { records: records.length, hours: HOURS, ip, charts: chartCount, pointsPerChart: HOURS * 60 },
    loadAverage1m: Math.round((await import('node:os')).loadavg()[0]! * 10) / 10,
    ipPageColdPaintedMs: ipColdPainted.length > 0 ? summarize(ipColdPainted) : null,
    ipPageColdUncachedPaintedMs: ipColdUncachedPainted.length > 0 ? summarize(ipColdUncachedPainted) : null,
    serverDrawnCharts: serverDrawn,
    // Session 7: p50/p90 of where the cold loads' time went (navigation clock, ms; HTML in bytes) and the server's CPU per load.
    ipPageColdBreakdown: summarizeBreakdowns(breakdowns.cached, percentile),
    ipPageColdUncachedBreakdown: summarizeBreakdowns(breakdowns.uncached, percentile),
    serverCpuMsPerLoad: { cached: summarize(serverCpu.cached), uncached: summarize(serverCpu.uncached) },
    ipPageColdUncachedMs: summarize(ipColdUncached),
    ipPageColdVisibleMs: summarize(ipColdVisible),
    ipPageColdMs: summarize(ipCold),
    ipPageReturningMs: summarize(returning),
    ipPageInAppMs: summarize(inApp),
    singleMetricColdMs: summarize(single),
    zoomMs: summarize(zoom),
    zoomAllMs: summarize(zoomAll),
    zoomScrolledMs: summarize(zoomScrolled),
    bundle: { mainGzipKB: Math.round(bundle.mainGzipBytes / 102.4) / 10, mainFiles: bundle.mainFiles, chunksGzipKB: Object.fromEntries(Object.entries(bundle.chunks).map(([k, v]) => [k, Math.round(v / 102.4) / 10])) },
    ratios: {
      ipPageColdPaintedP50VsTarget1000ms: ipColdPainted.length > 0 ? Math.round((percentile50(ipColdPainted) / 1000) * 100) / 100 : null,
      ipPageColdUncachedPaintedP50VsTarget1000ms: ipColdUncachedPainted.length > 0 ? Math.round((percentile50(ipColdUncachedPainted) / 1000) * 100) / 100 : null,
      ipPageColdP50VsTarget1000ms: Math.round((percentile50(ipCold) / 1000) * 100) / 100,
      ipPageReturningP50VsTarget1000ms: Math.round((percentile50(returning) / 1000) * 100) / 100,
      ipPageColdVisibleP50VsTarget1000ms: Math.round((percentile50(ipColdVisible) / 1000) * 100) / 100,
      zoomP50VsTarget100ms: Math.round((percentile50(zoom) / 100) * 100) / 100,
      zoomAllP50VsTarget100ms: Math.round((percentile50(zoomAll) / 100) * 100) / 100,
      allChartsVsOneChartColdP50: Math.round((percentile50(ipCold) / percentile50(single)) * 100) / 100,
      mainBundleVsTarget400kB: Math.round((bundle.mainGzipBytes / 1024 / 400) * 100) / 100,
    },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await browser?.close();
  await stack.stop();
}

function percentile50(samples: readonly number[]): number {
  return summarize(samples).p50;
}
