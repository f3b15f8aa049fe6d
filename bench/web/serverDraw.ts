/**
 * What the server's drawing of an IP page's charts costs (a diagnostic for `pnpm bench:web`):
 * `tsx bench/web/serverDraw.ts <page url> [reps]` reads the page's data from a running server
 * (e.g. `profile.ts serve`) with the page's own requests (`landingChartRequests`), builds the
 * charts as the server does (`landingCharts`, dark theme, the default width) and draws them
 * with ECharts' SSR (`drawChartSvg`) `reps` times in this process (the first round is cold),
 * printing one JSON object: per round the milliseconds of every chart and the total, the SVG
 * bytes, and the median of the warm rounds.
 */
import { performance } from 'node:perf_hooks';
import type { AlertsResponse, CatalogResponse, SeriesResponseV1 } from '../../packages/api/src/index';
import { DEFAULT_CHART_WIDTH, landingChartRequests, landingCharts } from '../../apps/web/serverContract';
import { drawChartSvg } from '../../apps/server/src/http/chartSvg';

const [target, repsText] = process.argv.slice(2);
if (!target) {
  process.stderr.write('usage: tsx bench/web/serverDraw.ts <page url> [reps]\n');
  process.exit(2);
}
const reps = Number(repsText ?? 8);
const page = new URL(target);
const get = async <T>(path: string): Promise<T> => {
  const res = await fetch(new URL(path, page.origin));
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};
const catalog = await get<CatalogResponse>('/api/metrics');
const location = { pathname: page.pathname, search: page.search };
const now = Math.floor(Date.now() / 1000);
const requests = landingChartRequests(location, catalog, now);
if (!requests) throw new Error(`${target} is not an IP page with metrics`);
const series = await Promise.all(requests.series.map((u) => get<SeriesResponseV1>(u)));
const alerts = await get<AlertsResponse>(requests.alerts);
const charts = landingCharts(location, catalog, now, { series, alerts }, 'dark');
if (!charts) throw new Error('nothing to draw');
const rounds: Array<{ totalMs: number; chartMs: number[]; bytes: number }> = [];
for (let r = 0; r < reps; r++) {
  const chartMs: number[] = [];
  let bytes = 0;
  for (const c of charts.charts) {
    const t = performance.now();
    bytes += drawChartSvg(c.option, 'dark', DEFAULT_CHART_WIDTH, c.height).length;
    chartMs.push(Math.round((performance.now() - t) * 10) / 10);
  }
  rounds.push({ totalMs: Math.round(chartMs.reduce((a, b) => a + b, 0)), chartMs, bytes });
}
const warm = rounds.slice(1).map((r) => r.totalMs).sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    charts: charts.charts.map((c) => c.metric),
    loadAverage1m: Math.round((await import('node:os')).loadavg()[0]! * 10) / 10,
    coldMs: rounds[0]?.totalMs,
    warmMedianMs: warm[Math.floor(warm.length / 2)],
    warmMinMs: warm[0],
    svgBytes: rounds[0]?.bytes,
    rounds,
  })}\n`,
);
