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
 * against the same data).
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
  const times: Record<'A' | 'B', { visible: number[]; all: number[] }> = { A: { visible: [], all: [] }, B: { visible: [], all: [] } };
  const load = async (url: string) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(url);
    const mark = (name: string) => page.waitForFunction((n) => performance.getEntriesByName(n).at(-1)?.startTime, name, { timeout: 60_000, polling: 50 }).then((h) => h.jsonValue() as Promise<number>);
    const all = await mark('ipscope:charts-drawn');
    const visible = await mark('ipscope:charts-visible');
    await context.close();
    return { visible, all };
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
      A: { url: urls.A, chartsVisibleMedianMs: Math.round(median(times.A.visible)), chartsDrawnMedianMs: Math.round(median(times.A.all)) },
      B: { url: urls.B, chartsVisibleMedianMs: Math.round(median(times.B.visible)), chartsDrawnMedianMs: Math.round(median(times.B.all)) },
      bOverAMedianOfPairs: { chartsVisible: ratio('visible'), chartsDrawn: ratio('all') },
    })}\n`,
  );
} else {
  say('usage: tsx bench/web/profile.ts serve | probe <page url> [loads] | compare <url A> <url B> [pairs]');
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
