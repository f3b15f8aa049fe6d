import type { AlertsResponse, CatalogResponse, MetricInfo, SeriesResponseV1 } from '@ipscope/api';
import { zoomComponents, type ChartOption, type ChartTheme, type TimeWindow } from '@ipscope/charts';
import { alertsUrl, seriesUrl } from '../../api/requestUrls';
import { matchRoute } from '../../router/routes';
import { parseView } from '../../state/viewState';
import { alertsByMetric, chartTestId, drawnSeries, metricChartSpec } from './chartSpec';
import { ipPageQueries } from './ipPageQueries';
import { mergeSeriesParts } from './seriesParts';

/** The answers the landing IP page's charts are drawn from: exactly the requests the page sends (`landingRequests`). */
export interface LandingChartRequests {
  /** The series parts, in order. */
  series: string[];
  alerts: string;
}

/** One chart of the landing IP page as the page will draw it once interactive. */
export interface LandingChart {
  metric: string;
  /** The chart's test id, the key the page finds the server's drawing by. */
  key: string;
  /** The option as the page's chart applies it (the zoom window included). */
  option: ChartOption;
  height: number;
  /** The metric's description (the chart's caption), if the catalog has one. */
  caption: string | undefined;
}

/** The charts of the landing IP page, in page order, and what they were drawn for. */
export interface LandingCharts {
  theme: ChartTheme;
  /** The window the charts show, `from-to` in unix seconds (the chart element's `data-window`). */
  window: string;
  charts: LandingChart[];
}

/** The requests whose answers draw the landing IP page's charts, or undefined for any other page (or no metrics). */
export function landingChartRequests(location: { pathname: string; search: string }, catalog: CatalogResponse, now: number): LandingChartRequests | undefined {
  const route = matchRoute(location.pathname);
  if (route.name !== 'ip' || !route.valid) return undefined;
  const q = ipPageQueries(route.ip, parseView(location.search).view, now, catalog);
  if (!q.seriesParts) return undefined;
  return { series: q.seriesParts.map((part) => seriesUrl(route.ip, part)), alerts: alertsUrl(q.alerts) };
}

/**
 * The charts the IP page at `location` draws from these answers (the series parts in order,
 * and the alerts), in `theme`: the same specs, axis, step, zoom window and drawn/omitted choice
 * as the page's own charts (`IpPage`, `MetricChart`, `EChart`), so the server can draw them
 * before the page's code runs. Pure and DOM-free.
 */
export function landingCharts(
  location: { pathname: string; search: string },
  catalog: CatalogResponse,
  now: number,
  answers: { series: readonly SeriesResponseV1[]; alerts: AlertsResponse },
  theme: ChartTheme,
): LandingCharts | undefined {
  const route = matchRoute(location.pathname);
  if (route.name !== 'ip' || !route.valid) return undefined;
  const { view } = parseView(location.search);
  const q = ipPageQueries(route.ip, view, now, catalog);
  const merged = mergeSeriesParts(answers.series.map((data) => ({ data, isPlaceholderData: false }))).data;
  if (!merged) return undefined;
  const info = new Map<string, MetricInfo>(catalog.metrics.map((m) => [m.name, m]));
  const byMetric = alertsByMetric(answers.alerts.items);
  const axis: TimeWindow = { from: merged.from, to: merged.to };
  const window = q.zoom ?? axis;
  const step = merged.downsampling.step;
  const charts = drawnSeries(merged.series, byMetric).map((s): LandingChart => {
    const spec = metricChartSpec(s, info.get(s.metric), { range: axis, step, theme, alerts: byMetric.get(s.metric) ?? [] }, view.modes[s.metric]);
    return { metric: s.metric, key: chartTestId(s.metric), option: { ...spec.option, dataZoom: zoomComponents(window) }, height: spec.height, caption: info.get(s.metric)?.description || undefined };
  });
  return { theme, window: `${Math.round(window.from)}-${Math.round(window.to)}`, charts };
}

