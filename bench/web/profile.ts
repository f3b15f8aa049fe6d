/**
 * Where a cold IP page's time goes, for working on `pnpm bench:web` (a diagnostic, not the
 * benchmark): `tsx bench/web/profile.ts serve` starts the benchmark's stack (same dataset)
 * and keeps it up for at most 30 minutes, printing the page URL; `tsx bench/web/profile.ts
 * probe <page url> [loads]` opens that URL in fresh browser contexts and prints, per load,
 * the navigation clock of every request (start, first byte, end), the page's marks and its
 * per-chart `setOption` measures. The server serves `apps/web/dist` from disk, so a rebuild
 * is probed without restarting the stack. `tsx bench/web/profile.ts compare <url A> <url B> [pairs]`
 * loads A and B alternately in fresh contexts (A first in odd pairs, B first in even ones) and
 * prints each pair's charts-on-screen and every-chart times and the medians: a before/after in
 * one run (e.g. A served by a copy of the previous commit's server and build on another port,
 * against the same data). `tsx bench/web/profile.ts trace <page url>` records a Chromium trace
 * of one cold load and prints the page's main-thread tasks over 8 ms (start on the navigation
 * clock, duration, what they spent it on), the script compile and parse done off the main
 * thread, and the page's marks (the trace adds overhead: read it for shares, not totals).
 */
import { chromium } from '@playwright/test';
import { freePort, ZeekConnGenerator } from '@ipscope/testkit';
import { startStack } from '../../e2e/support/stack';

const say = (line: string) => process.stderr.write(`${line}\n`);
const [mode, target, loadsText] = process.argv.slice(2);

if (mode === 'serve') {
  const runId = Math.floor(Date.now() / 1000);
  const to = Math.floor(runId / 60) * 60;
  const records = [...new ZeekConnGenerator({ seed: 11 }).between(to - 24 * 3600, to, 2)];
  const stack = await startStack({ topic: `bench.webprof.${runId}`, prefix: `bwp${runId}`, group: `bench-webprof-${runId}`, port: await freePort(), records, log: say });
  const stop = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  say(`page: ${stack.url}/ip/10.0.0.1?from=${to - 24 * 3600}&to=${to}&live=0`);
  setTimeout(() => void stop(), 30 * 60_000);
} else if (mode === 'probe' && target) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    for (let i = 0; i < Number(loadsText ?? 2); i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const page = await context.newPage();
      const cdp = process.env.PROFILE_CPU ? await context.newCDPSession(page) : undefined;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      await page.goto(target);
      await page.waitForFunction(() => performance.getEntriesByName('ipscope:charts-drawn').length > 0, undefined, { timeout: 60_000, polling: 50 });
      // No named functions inside: tsx's __name helper does not exist in the page.
      const rows = await page.evaluate((origin) => {
        const out: Array<[number, number | null, number | null, string]> = [];
        // Node's DOM-less types: the browser's resource and navigation entries, as far as they are read here.
        type Timing = { name: string; startTime: number; responseStart: number; responseEnd: number; domContentLoadedEventEnd: number; serverTiming?: Array<{ name: string; duration: number }> };
        for (const e of performance.getEntriesByType('resource') as unknown as Timing[]) {
          // The server's read-ahead says how long the request waited for it (Server-Timing "prefetch").
          const prefetch = e.serverTiming?.find((t) => t.name === 'prefetch');
          out.push([e.startTime, e.responseStart, e.responseEnd, `${prefetch ? `[read ahead, waited ${Math.round(prefetch.duration)} ms] ` : ''}${e.name.replace(origin, '').slice(0, 100)}`]);
        }
        const nav = performance.getEntries().find((e) => String(e.entryType) === 'navigation') as unknown as Timing;
        out.push([0, nav.responseStart, nav.domContentLoadedEventEnd, 'document (to DOMContentLoaded end)']);
        for (const e of performance.getEntriesByType('mark')) out.push([e.startTime, null, null, `mark ${e.name}`]);
        for (const e of performance.getEntriesByType('measure')) out.push([e.startTime, null, e.startTime + e.duration, `measure ${e.name} ${Math.round(e.duration)} ms`]);
        return out;
      }, new URL(target).origin);
      const cell = (n: number | null) => (n === null ? '' : String(Math.round(n))).padStart(6);
      const lines = rows.sort((a, b) => a[0] - b[0]).map(([start, first, end, what]) => `${cell(start)}${cell(first)}${cell(end)}  ${what}`);
      if (cdp) {
        const { profile } = await cdp.send('Profiler.stop');
        process.stdout.write(`${cpuSummary(profile)}\n`);
      }
      process.stdout.write(`load ${i + 1} (start, first byte, end; ms on the navigation clock):\n${lines.join('\n')}\n`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
} else if (mode === 'compare' && target && process.argv[4]) {
  const urls = { A: target, B: process.argv[4] };
  const pairs = Number(process.argv[5] ?? 8);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const times: Record<'A' | 'B', { visible: number[]; all: number[]; painted: number[] }> = { A: { visible: [], all: [], painted: [] }, B: { visible: [], all: [], painted: [] } };
  const load = async (url: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(url);
    const mark = (name: string) => page.waitForFunction((n) => performance.getEntriesByName(n).at(-1)?.startTime, name, { timeout: 60_000, polling: 50 }).then((h) => h.jsonValue() as Promise<number>);
    const all = await mark('ipscope:charts-drawn');
    const visible = await mark('ipscope:charts-visible');
    // Server-drawn charts painted (session 6), when the page had them: the first time every chart is on screen.
    const painted = (await page.evaluate(`performance.getEntriesByName('ipscope:server-charts-painted').at(-1)?.startTime ?? null`)) as number | null;
    await context.close();
    return { visible, all, painted };
  };
  try {
    // One warm-up load each (server JIT, caches), not counted.
    await load(urls.A);
    await load(urls.B);
    for (let i = 0; i < pairs; i++) {
      for (const side of i % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
        const t = await load(urls[side]);
        times[side].visible.push(t.visible);
        times[side].all.push(t.all);
        if (t.painted !== null) times[side].painted.push(t.painted);
      }
      say(`pair ${i + 1}/${pairs}: A ${Math.round(times.A.visible.at(-1)!)}/${Math.round(times.A.all.at(-1)!)} ms, B ${Math.round(times.B.visible.at(-1)!)}/${Math.round(times.B.all.at(-1)!)} ms (charts on screen / every chart)`);
    }
  } finally {
    await browser.close();
  }
  const median = (xs: readonly number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  };
  const ratio = (k: 'visible' | 'all') => Math.round(median(times.B[k].map((b, i) => b / times.A[k][i]!)) * 100) / 100;
  process.stdout.write(
    `${JSON.stringify({
      pairs,
      loadAverage1m: Math.round((await import('node:os')).loadavg()[0]! * 10) / 10,
      A: { url: urls.A, chartsVisibleMedianMs: Math.round(median(times.A.visible)), chartsDrawnMedianMs: Math.round(median(times.A.all)), serverChartsPainted: times.A.painted.length, serverChartsPaintedMedianMs: times.A.painted.length ? Math.round(median(times.A.painted)) : null },
      B: { url: urls.B, chartsVisibleMedianMs: Math.round(median(times.B.visible)), chartsDrawnMedianMs: Math.round(median(times.B.all)), serverChartsPainted: times.B.painted.length, serverChartsPaintedMedianMs: times.B.painted.length ? Math.round(median(times.B.painted)) : null },
      bOverAMedianOfPairs: { chartsVisible: ratio('visible'), chartsDrawn: ratio('all') },
    })}\n`,
  );
} else if (mode === 'trace' && target) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'disabled-by-default-v8.compile', 'blink.user_timing', 'loading'] });
    await page.goto(target);
    await page.waitForFunction(() => performance.getEntriesByName('ipscope:charts-drawn').length > 0, undefined, { timeout: 60_000, polling: 50 });
    // The trace's clock differs from the page's: the app's first mark, seen on both, ties them.
    const appStartMs = await page.evaluate(() => performance.getEntriesByName('ipscope:app-start')[0]?.startTime ?? 0);
    process.stdout.write(`${mainThreadTasks(JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }, appStartMs)}\n`);
  } finally {
    await browser.close();
  }
} else {
  say('usage: tsx bench/web/profile.ts serve | probe <page url> [loads] | compare <url A> <url B> [pairs] | trace <page url>');
  process.exit(2);
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }>;
  samples?: number[];
  timeDeltas?: number[];
}

/** Self time by function (top 25) and by script, from a CDP CPU profile (PROFILE_CPU=1). */
function cpuSummary(profile: CpuProfile): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const byUrl = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const f = node.callFrame;
    const file = f.url.replace(/^.*\//, '') || '(native)';
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber}:${f.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + ms);
    byUrl.set(file, (byUrl.get(file) ?? 0) + ms);
  });
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${String(Math.round(v)).padStart(6)} ms  ${k}`);
  return ['CPU self time by script:', ...top(byUrl, 10), 'CPU self time by function:', ...top(self, 25)].join('\n');
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string; functionName?: string } };
}

/** The page renderer's main-thread tasks over 8 ms with their largest parts, off-thread compile time, and the page's marks. */
function mainThreadTasks({ traceEvents }: { traceEvents: TraceEvent[] }, appStartMs: number): string {
  // The page's renderer is the process that left the app's first mark.
  const appStart = traceEvents.find((e) => e.name === 'ipscope:app-start');
  const main = traceEvents.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === appStart?.pid);
  if (!main || !appStart) return 'trace: the page renderer or its ipscope:app-start mark was not found';
  const navigationTs = appStart.ts - appStartMs * 1000;
  const at = (ts: number) => String(Math.round((ts - navigationTs) / 1000)).padStart(6);
  const ms = (us: number) => Math.round(us / 1000);
  const complete = traceEvents.filter((e) => e.pid === main.pid && e.ph === 'X' && (e.dur ?? 0) > 0);
  const onMain = complete.filter((e) => e.tid === main.tid);
  const lines = ['main-thread tasks over 8 ms (start ms, duration ms, largest parts ms):'];
  for (const task of onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 8000)) {
    const end = task.ts + (task.dur ?? 0);
    const parts = new Map<string, number>();
    for (const e of onMain) {
      if (e === task || e.ts < task.ts || e.ts + (e.dur ?? 0) > end) continue;
      const data = e.args?.data;
      const key = `${e.name}${data?.url ? ` ${data.url.replace(/^.*\//, '')}` : ''}${data?.functionName ? ` ${data.functionName}` : ''}`;
      parts.set(key, (parts.get(key) ?? 0) + (e.dur ?? 0));
    }
    const largest = [...parts].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${ms(v)}`);
    lines.push(`${at(task.ts)} ${String(ms(task.dur ?? 0)).padStart(5)}  ${largest.join(' | ')}`);
  }
  const offMain = new Map<string, number>();
  for (const e of complete) if (e.tid !== main.tid && /Compile|Parse/.test(e.name)) offMain.set(e.name, (offMain.get(e.name) ?? 0) + (e.dur ?? 0));
  lines.push(`off the main thread (ms): ${[...offMain].map(([k, v]) => `${k} ${ms(v)}`).join(', ')}`);
  // Marks only (instant events); `probe` prints the measures.
  for (const e of traceEvents) if (e.pid === main.pid && e.name.startsWith('ipscope:') && (e.ph === 'R' || e.ph === 'I')) lines.push(`${at(e.ts)}        mark ${e.name}`);
  return lines.join('\n');
}
