/**
 * What drawing the IP page's charts costs in ECharts, cold and warm, outside the page (a
 * diagnostic for `pnpm bench:web`, not the benchmark): `tsx bench/web/coldDraw.ts <server url>
 * <from> <to> [reps]` reads 10.0.0.1's nine drawn default metrics from a running server (e.g.
 * `profile.ts serve`), builds their options with @ipscope/charts (dark theme) and, in Chromium
 * with ECharts' full prebuilt bundle:
 * - cold: a fresh page per sample, each chart's `init` + first `setOption` timed, summed over
 *   the nine charts; once as nine instances (the page's way) and once as ONE instance holding
 *   the nine charts as nine grids with one zoom (`oneInstance`), alternating, `reps` samples each;
 * - warm: the same nine charts drawn again and again in one page (the fastest of 15 draws each).
 * Prints one JSON object with medians and minimums in ms. Tooltip formatters (functions) are
 * left out; they do not draw.
 */
import { chromium } from '@playwright/test';
import { metricChartOption, type ChartOption, type MetricSeriesInput } from '../../packages/charts/src/index';

const [server, fromText, toText, repsText] = process.argv.slice(2);
if (!server || !fromText || !toText) {
  process.stderr.write('usage: tsx bench/web/coldDraw.ts <server url> <from> <to> [reps]\n');
  process.exit(2);
}
const reps = Number(repsText ?? 8);
const metrics = ['conn.responded', 'conn.count.resp', 'conn.bytes.resp', 'conn.pkts.resp', 'conn.peers.resp', 'conn.ports.resp', 'conn.state.resp', 'conn.service.resp', 'conn.duration.resp'];
const res = await fetch(`${server}/api/ips/10.0.0.1/series?metrics=${metrics.join(',')}&interval=days&from=${fromText}&to=${toText}&maxPoints=1100`);
if (!res.ok) throw new Error(`series request failed: ${res.status} ${await res.text()}`);
const body = (await res.json()) as { from: number; to: number; downsampling: { step: number }; series: MetricSeriesInput[] };
const ctx = { range: { from: body.from, to: body.to }, step: body.downsampling.step, theme: 'dark' as const, alerts: [] };
const options: ChartOption[] = body.series.map((s) => metricChartOption(s, ctx));
const bundle = 'node_modules/.pnpm/echarts@6.1.0/node_modules/echarts/dist/echarts.min.js';

// Page code as text: the bench is type-checked without the DOM library.
const pageCode = (mode: 'nine' | 'oneInstance' | 'warm') => `(async () => {
  const options = ${JSON.stringify(options)};
  const H = 240;
  if (${JSON.stringify(mode)} === 'oneInstance') {
    const all = { animation: false, useUTC: true, backgroundColor: 'transparent', aria: options[0].aria, title: [], grid: [], xAxis: [], yAxis: [], legend: [], series: [],
      tooltip: { trigger: 'axis', confine: true },
      dataZoom: [{ ...options[0].dataZoom[0], xAxisIndex: options.map((_, i) => i) }] };
    options.forEach((o, i) => {
      const top = i * H;
      all.title.push({ ...o.title, top: top + 4 });
      all.grid.push({ ...o.grid, top: top + o.grid.top, height: H - o.grid.top - o.grid.bottom, bottom: undefined });
      all.xAxis.push({ ...o.xAxis, gridIndex: i });
      all.yAxis.push({ ...o.yAxis, gridIndex: i });
      if (o.legend) all.legend.push({ ...o.legend, top: top + 24, data: o.series.map((s) => s.name) });
      for (const s of o.series) all.series.push({ ...s, xAxisIndex: i, yAxisIndex: i, stack: s.stack ? s.stack + i : undefined });
    });
    const el = document.createElement('div');
    el.style.cssText = 'width:1230px;height:' + H * options.length + 'px';
    document.body.append(el);
    const t = performance.now();
    echarts.init(el, 'dark', { renderer: 'canvas' }).setOption(all, { notMerge: true, lazyUpdate: false });
    return performance.now() - t;
  }
  const els = options.map(() => {
    const el = document.createElement('div');
    el.style.cssText = 'width:1230px;height:' + H + 'px';
    document.body.append(el);
    return el;
  });
  const drawAll = () => {
    let total = 0;
    options.forEach((o, i) => {
      const t = performance.now();
      const chart = echarts.init(els[i], 'dark', { renderer: 'canvas' });
      chart.setOption(o, { notMerge: true, lazyUpdate: false });
      total += performance.now() - t;
      if (${JSON.stringify(mode)} === 'warm') chart.dispose();
    });
    return total;
  };
  if (${JSON.stringify(mode)} === 'nine') return drawAll();
  let best = Infinity;
  for (let i = 0; i < 15; i++) {
    best = Math.min(best, drawAll());
    await new Promise((r) => setTimeout(r, 0));
  }
  return best;
})()`;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const samples: Record<'nine' | 'oneInstance' | 'warm', number[]> = { nine: [], oneInstance: [], warm: [] };
try {
  const sample = async (mode: 'nine' | 'oneInstance' | 'warm') => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.setContent('<body style="margin:0"></body>');
    await page.addScriptTag({ path: bundle });
    samples[mode].push(Number(await page.evaluate(pageCode(mode))));
    await page.close();
  };
  for (let i = 0; i < reps; i++) for (const mode of i % 2 === 0 ? (['nine', 'oneInstance'] as const) : (['oneInstance', 'nine'] as const)) await sample(mode);
  await sample('warm');
} finally {
  await browser.close();
}
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const round = (n: number) => Math.round(n);
process.stdout.write(
  `${JSON.stringify({
    reps,
    loadAverage1m: Math.round((await import('node:os')).loadavg()[0]! * 10) / 10,
    coldNineInstancesMs: { median: round(median(samples.nine)), min: round(Math.min(...samples.nine)) },
    coldOneInstanceMs: { median: round(median(samples.oneInstance)), min: round(Math.min(...samples.oneInstance)) },
    oneOverNineMedianOfPairs: Math.round(median(samples.oneInstance.map((o, i) => o / samples.nine[i]!)) * 100) / 100,
    warmNineInstancesBestOf15Ms: round(samples.warm[0]!),
  })}\n`,
);
