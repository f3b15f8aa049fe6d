import type { AlertsResponse, CatalogResponse, SeriesResponseV1 } from '@ipscope/api';
import type { ChartTheme } from '@ipscope/charts';
import { landingCharts, type LandingChart, type LandingCharts } from '@ipscope/web/serverContract';
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

const text = new TextDecoder();
const escapeAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** Parses the job's answers and builds its charts' options (`landingCharts`, the page's own builders); undefined for a page that is not an IP page. */
export function planLanding(job: LandingDrawJob): LandingCharts | undefined {
  if (job.bodies.length < 2) throw new RangeError(`bodies: needs the series parts and then the alerts answer, got ${job.bodies.length} bodies`);
  const series = job.bodies.slice(0, -1).map((b) => JSON.parse(text.decode(b)) as SeriesResponseV1);
  const alerts = JSON.parse(text.decode(job.bodies.at(-1))) as AlertsResponse;
  return landingCharts(job.location, job.catalog, job.now, { series, alerts }, job.theme);
}

/** One chart drawn (ECharts SSR, `drawChartSvg`) and laid out as the page's chart figure, so the drawing stays where the page's chart will be. */
export function drawChartFigure(chart: LandingChart, theme: ChartTheme, width: number): string {
  const svg = drawChartSvg(chart.option, theme, width, chart.height);
  const caption = chart.caption ? `<figcaption class="muted">${escapeAttr(chart.caption)}</figcaption>` : '';
  return `<figure class="metric-chart server-chart" data-chart="${escapeAttr(chart.key)}" role="img" aria-label="${escapeAttr(`Chart of ${chart.metric}, drawn by the server`)}">${caption}<div class="chart-frame">${svg}</div></figure>`;
}
