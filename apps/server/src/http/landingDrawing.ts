import type { AlertsResponse, CatalogResponse, SeriesResponseV1 } from '@ipscope/api';
import type { ChartTheme } from '@ipscope/charts';
import { landingCharts, type LandingChart } from '@ipscope/web/serverContract';
import { drawChartSvg } from './chartSvg';

/** What the server needs to draw an IP page's charts: the page, and the answers its charts are drawn from. */
export interface LandingDrawJob {
  location: { pathname: string; search: string };
  catalog: CatalogResponse;
  /** Unix seconds the page's requests were planned at. */
  now: number;
  /** The series parts' answer bodies in order, then the alerts answer body (JSON, as the page gets them). */
  bodies: readonly Uint8Array[];
  theme: ChartTheme;
  width: number;
}

/** The charts a job draws, in page order, before any is drawn. */
export interface LandingDrawPlan {
  /** The window the charts show, `from-to` in unix seconds. */
  window: string;
  /** Each chart's test id (the key the page finds its drawing by). */
  keys: string[];
}

/** A job's charts, planned from its answers: the plan and the charts' options (undefined for a page that is not an IP page). */
export interface PlannedLanding {
  plan: LandingDrawPlan;
  charts: LandingChart[];
}

const text = new TextDecoder();
const escapeAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Parses the job's answers and builds its charts' options (`landingCharts`, the page's own builders). */
export function planLanding(job: LandingDrawJob): PlannedLanding | undefined {
  if (job.bodies.length < 2) throw new RangeError(`bodies: needs the series parts and then the alerts answer, got ${job.bodies.length} bodies`);
  const series = job.bodies.slice(0, -1).map((b) => JSON.parse(text.decode(b)) as SeriesResponseV1);
  const alerts = JSON.parse(text.decode(job.bodies.at(-1))) as AlertsResponse;
  const page = landingCharts(job.location, job.catalog, job.now, { series, alerts }, job.theme);
  if (!page) return undefined;
  return { plan: { window: page.window, keys: page.charts.map((c) => c.key) }, charts: page.charts };
}

/** What drawing a chart roughly costs, for sharing a page's charts between drawers: its drawn points (a stacked histogram has one series per band). */
export function chartWeight(chart: LandingChart): number {
  const series = chart.option.series;
  const list = Array.isArray(series) ? series : series ? [series] : [];
  let points = 0;
  for (const s of list) {
    const data = (s as { data?: unknown }).data;
    points += Array.isArray(data) ? data.length : 0;
  }
  return points + 200;
}

/**
 * Which of `shares` drawers draws each chart (index into `charts`): the heaviest first, each to
 * the drawer with the least weight so far (ties to the lowest share), so drawers that split a
 * page finish at about the same time. Deterministic: every drawer works out the same split.
 */
export function shareCharts(charts: readonly LandingChart[], shares: number): number[] {
  if (!(Number.isInteger(shares) && shares >= 1)) throw new RangeError(`shares: must be a whole number from 1, got ${shares}`);
  const load = new Array<number>(shares).fill(0);
  const owner = new Array<number>(charts.length).fill(0);
  const order = charts.map((c, i) => ({ i, w: chartWeight(c) })).sort((a, b) => b.w - a.w || a.i - b.i);
  for (const { i, w } of order) {
    let best = 0;
    for (let s = 1; s < shares; s++) if (load[s]! < load[best]!) best = s;
    owner[i] = best;
    load[best]! += w;
  }
  return owner;
}

/** Element ids (and classes) ECharts' SVG gives a chart: `zr<instance>-<n>`, the instance counted per thread. */
const DRAWING_IDS = /(id="|url\(#|href="#|class=")zr(\d+)-/g;

/**
 * One chart drawn (ECharts SSR, `drawChartSvg`) and laid out as the page's chart figure, so the
 * drawing stays where the page's chart will be. ECharts names a drawing's clip paths after its
 * instance, counted per thread: charts of one page drawn in several threads would share ids
 * (and clip each other), so `idTag` (one per thread) is written into every id.
 */
export function drawChartFigure(chart: LandingChart, theme: ChartTheme, width: number, idTag = ''): string {
  const drawn = drawChartSvg(chart.option, theme, width, chart.height);
  const svg = idTag === '' ? drawn : drawn.replace(DRAWING_IDS, (_whole, lead: string, instance: string) => `${lead}zr${instance}${idTag}-`);
  const caption = chart.caption ? `<figcaption class="muted">${escapeAttr(chart.caption)}</figcaption>` : '';
  return `<figure class="metric-chart server-chart" data-chart="${escapeAttr(chart.key)}" role="img" aria-label="${escapeAttr(`Chart of ${chart.metric}, drawn by the server`)}">${caption}<div class="chart-frame">${svg}</div></figure>`;
}
