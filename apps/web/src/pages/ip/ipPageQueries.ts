import type { CatalogResponse } from '@ipscope/api';
import type { AlertsQuery, RangeQuery, SeriesQuery } from '../../api/requestUrls';
import { SERIES_MAX_POINTS, chooseInterval, DEFAULT_INTERVALS, resolveRange, type Window } from '../../state/timeRange';
import { effectiveZoom, type ViewState } from '../../state/viewState';
import { defaultMetrics } from './defaultMetrics';
import { splitSeriesQuery } from './seriesParts';

/** What the IP page reads for a view at a time: one pure function, so a prefetch asks for exactly what the page will. */
export interface IpPageQueries {
  window: Window;
  zoom: Window | undefined;
  /** The zoom window, else the whole range: what the summary (totals, peers) covers. */
  visible: Window;
  interval: string;
  autoInterval: string;
  /** The metrics to chart; undefined until the catalog is known (unless the URL names them). */
  metrics: string[] | undefined;
  /** The series to read, in one request or two (the first screen's metrics first; see `splitSeriesQuery`). */
  seriesParts: SeriesQuery[] | undefined;
  summary: RangeQuery;
  alerts: AlertsQuery;
}

/** The IP page's queries for `view` at `now` (unix seconds), with the catalog if loaded. */
export function ipPageQueries(ip: string, view: ViewState, now: number, catalog: CatalogResponse | undefined): IpPageQueries {
  const intervals = catalog?.intervals.length ? catalog.intervals : DEFAULT_INTERVALS;
  const window = resolveRange(view.range, now);
  const autoInterval = chooseInterval(window, intervals);
  const interval = view.interval !== undefined && intervals.some((i) => i.name === view.interval) ? view.interval : autoInterval;
  const zoom = effectiveZoom(view.zoom, window);
  const visible = zoom ?? window;
  const metrics = view.metrics ?? (catalog ? defaultMetrics(catalog.metrics, interval) : undefined);
  return {
    window,
    zoom,
    visible,
    interval,
    autoInterval,
    metrics,
    seriesParts: metrics && metrics.length > 0 ? splitSeriesQuery({ metrics, interval, from: window.from, to: window.to, maxPoints: SERIES_MAX_POINTS }) : undefined,
    summary: { interval, from: visible.from, to: visible.to },
    alerts: { ip, from: window.from, to: window.to, limit: 200 },
  };
}
