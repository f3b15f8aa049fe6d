import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Alert } from '@ipscope/api';
import type { ChartMode, TimeWindow } from '@ipscope/charts';
import { exportCsvUrl } from '../../api/client';
import { useAlerts, useCatalog, useIntervals, useMetricInfo, useSeriesParts, useSummary } from '../../api/queries';
import { zoomGroup } from '../../components/chartGroup';
import { EmptyState } from '../../components/EmptyState';
import { prewarmCharts } from '../../components/prewarmCharts';
import { discardServerCharts } from '../../components/serverCharts';
import { ErrorState } from '../../components/ErrorState';
import { RangePicker } from '../../components/RangePicker';
import { Skeleton } from '../../components/Skeleton';
import { useLive } from '../../live/LiveProvider';
import { Link } from '../../router/Link';
import { ipPath } from '../../router/routes';
import { useTheme } from '../../theme/ThemeProvider';
import { describeRange } from '../../state/timeRange';
import { useSettled } from '../../state/useSettled';
import { useView } from '../../state/useView';
import { effectiveZoom, pinView, serializeView } from '../../state/viewState';
import { ipPageQueries } from './ipPageQueries';
import { alertsByMetric, drawnSeries } from './chartSpec';
import { DrawTracker } from './drawTracker';
import { ExportBar } from './ExportBar';
import { MetricChart } from './MetricChart';
import { MetricPicker } from './MetricPicker';
import { PeersPanel } from './PeersPanel';
import { SummaryHeader } from './SummaryHeader';
import { alignWindow, zoomIn, zoomOut } from './zoomSteps';

const GROUP = 'ip-page';
const NO_ALERTS: readonly Alert[] = [];
/** How long a zoom must stay before the summary is read for it (zoom presses come ~100-300 ms apart). */
const SUMMARY_SETTLE_MS = 400;

/** What an address that is not one gets: the reason and a way back, not a crash. */
function BadIp({ ip }: { ip: string }) {
  return (
    <div className="page" data-testid="bad-ip">
      <div className="state state-error" role="alert">
        <h1>Not an IP address</h1>
        <p>
          <code>{ip === '' ? '(empty)' : ip}</code> is not a valid IPv4 or IPv6 address. Addresses look like <code>10.1.2.3</code> or <code>2001:db8::1</code>, without a
          prefix length or zone.
        </p>
        <Link to="/">Back to the overview</Link>
      </div>
    </div>
  );
}

/** One IP: summary, every metric on one time axis with alerts marked, peers, export and share. */
export default function IpPage({ ip, valid }: { ip: string; valid: boolean }) {
  useEffect(() => {
    document.title = `${ip} · ipscope`;
    return () => {
      document.title = 'ipscope';
    };
  }, [ip]);
  return valid ? <ValidIpPage ip={ip} /> : <BadIp ip={ip} />;
}

function ValidIpPage({ ip }: { ip: string }) {
  const { view, setView } = useView();
  const { now } = useLive();
  const { theme } = useTheme();
  const intervals = useIntervals();
  const catalog = useCatalog();
  const info = useMetricInfo();
  const q = useMemo(() => ipPageQueries(ip, view, now, catalog.data), [ip, view, now, catalog.data]);
  const { window, interval, autoInterval, metrics, visible } = q;
  // Primitive deps: the view is re-parsed on every URL change; an equal window must not redraw.
  const zoom = useMemo(() => q.zoom, [q.zoom?.from, q.zoom?.to]);
  const rangeText = describeRange(view.range);

  const series = useSeriesParts(ip, q.seriesParts);
  // Warms the theme the page opened in, once per page load (later theme changes are not re-warmed),
  // only while the page waits for its data: when the data is already here (the server read it
  // while the code loaded), the warm-up would only delay the real charts.
  const waitingAtMount = series.data === undefined;
  useEffect(() => {
    performance.mark('ipscope:ip-page-mounted');
    if (waitingAtMount) prewarmCharts(theme);
  }, []);
  // The summary (totals, peers of the visible window) follows a zoom once the zoom has settled.
  const summaryRange = useSettled(q.summary, `${q.summary.interval} ${q.summary.from} ${q.summary.to}`, SUMMARY_SETTLE_MS);
  const summary = useSummary(ip, summaryRange);
  const alerts = useAlerts(q.alerts);

  const byMetric = useMemo(() => alertsByMetric(alerts.data?.items ?? []), [alerts.data]);

  // The server's drawings no chart took (each chart takes its own as it mounts, before this runs) go once every part is here, and with the page.
  const seriesSettled = series.complete || series.error !== null;
  useEffect(() => {
    if (seriesSettled) discardServerCharts();
  }, [seriesSettled]);
  useEffect(() => () => discardServerCharts(), []);

  const [drawnCount, setDrawnCount] = useState(0);
  const tracker = useMemo(() => new DrawTracker(setDrawnCount), []);
  useEffect(() => () => tracker.dispose(), [tracker]);
  // The page is drawn once the charts of the last part of the series are (an error ends the wait too).
  const seriesLoading = !series.complete && series.error === null;
  useEffect(() => tracker.setLoading(seriesLoading), [tracker, seriesLoading]);
  // Metrics without data in the range (for a server, most "as originator" ones) are listed in one line, not drawn as flat charts.
  const drawn = useMemo(() => (series.data ? drawnSeries(series.data.series, byMetric) : []), [series.data, byMetric]);
  const empty = useMemo(() => series.data?.series.filter((s) => !drawn.includes(s)).map((s) => s.metric) ?? [], [series.data, drawn]);

  const step = series.data?.downsampling.step ?? intervals.find((i) => i.name === interval)?.step ?? 60;
  const zoomTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(zoomTimer.current), []);
  // The charts already follow a drag; the URL records it once the analyst stops (replace: zooming adds no history entries).
  const onZoom = useCallback(
    (w: TimeWindow | undefined) => {
      clearTimeout(zoomTimer.current);
      zoomTimer.current = setTimeout(() => setView({ zoom: w && effectiveZoom(w, window) }, { replace: true }), 250);
    },
    [setView, window],
  );
  const snap = useCallback((w: TimeWindow) => alignWindow(w, step), [step]);
  // A zoom the charts show but the URL does not record yet (see zoomTo): the next button press starts from it.
  const unrecorded = useRef<{ zoom: TimeWindow | undefined } | undefined>(undefined);
  const shownWindow = () => (unrecorded.current ? (unrecorded.current.zoom ?? window) : visible);
  const zoomTo = (next: TimeWindow | undefined) => {
    tracker.zoomRequested();
    const zoomed = next && effectiveZoom(alignWindow(next, step), window);
    // The charts move first, in this task; the URL and the rest of the page follow after the frame
    // that paints them (a re-render of the page before that frame would only delay the charts).
    zoomGroup(GROUP, zoomed ?? axis);
    const pending = { zoom: zoomed };
    unrecorded.current = pending;
    requestAnimationFrame(() =>
      setTimeout(() => {
        if (unrecorded.current === pending) unrecorded.current = undefined;
        setView({ zoom: zoomed }, { replace: true });
      }, 0),
    );
  };
  const setMode = (metric: string, mode: ChartMode) => setView({ modes: { ...view.modes, [metric]: mode } }, { replace: true });

  // The charts' axis is the window the data was read for, not the live clock's: when `now` moves,
  // the charts keep their data and axis until the new data arrives, and are then drawn once.
  const dataFrom = series.data?.from ?? window.from;
  const dataTo = series.data?.to ?? window.to;
  const axis = useMemo(() => ({ from: dataFrom, to: dataTo }), [dataFrom, dataTo]);
  const linkSearch = serializeView({ ...view, zoom: view.zoom });
  const shareUrl = `${globalThis.location.origin}${ipPath(ip)}${serializeView(pinView(view, now))}`;

  return (
    <div className="page" data-testid="ip-page" data-ip={ip}>
      <div className="toolbar">
        <h1>
          <span className="muted">IP</span> <span data-testid="ip-heading">{ip}</span>
        </h1>
        <RangePicker
          range={view.range}
          window={window}
          interval={view.interval}
          autoInterval={autoInterval}
          intervals={intervals}
          onRange={(range) => setView({ range, zoom: undefined })}
          onInterval={(i) => setView({ interval: i, zoom: undefined })}
        />
      </div>

      {summary.isPending ? (
        <Skeleton label={`Loading the summary of ${ip}`} height={167} />
      ) : summary.isError ? (
        <ErrorState what={`the summary of ${ip}`} error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <SummaryHeader summary={summary.data} info={info} refreshing={summary.isPlaceholderData} />
      )}

      <div className="toolbar secondary">
        <div className="zoom-controls" role="group" aria-label="Zoom">
          <button type="button" onClick={() => zoomTo(zoomIn(shownWindow(), step))} data-testid="zoom-in">
            Zoom in
          </button>
          <button type="button" onClick={() => zoomTo(zoomOut(shownWindow(), window))} disabled={!zoom} data-testid="zoom-out">
            Zoom out
          </button>
          <button type="button" onClick={() => zoomTo(undefined)} disabled={!zoom} data-testid="zoom-reset">
            Reset zoom
          </button>
          {zoom && (
            <button
              type="button"
              title="Make the zoomed window the range: read again at the finest interval that holds it"
              onClick={() => setView({ range: { kind: 'custom', from: zoom.from, to: zoom.to }, zoom: undefined, interval: undefined })}
              data-testid="zoom-as-range"
            >
              Load window in detail
            </button>
          )}
          <span className="muted hint">Drag across a chart to zoom all of them; double-click to reset.</span>
          <span className="muted" data-testid="visible-window">
            {zoom ? `Zoomed: ${describeRange({ kind: 'custom', ...zoom })}` : rangeText}
            {series.data && series.data.downsampling.method !== 'none' && ` · ${Math.round(series.data.downsampling.step / 60)} min per point`}
          </span>
        </div>
        <MetricPicker all={catalog.data?.metrics.filter((m) => m.intervals.includes(interval)) ?? []} selected={metrics ?? []} onChange={(m) => setView({ metrics: m })} />
        <ExportBar
          csvUrl={exportCsvUrl(ip, { metrics: metrics ?? [], interval, from: visible.from, to: visible.to })}
          fileStem={`ipscope-${ip.replace(/[:.]/g, '_')}-${visible.from}-${visible.to}`}
          group={GROUP}
          shareUrl={shareUrl}
          background={theme === 'dark' ? '#0f1419' : '#ffffff'}
        />
      </div>

      <section aria-label="Charts" className="charts" data-testid="charts" data-drawn={drawnCount}>
        {catalog.isError ? (
          <ErrorState what="the metric catalog" error={catalog.error} onRetry={() => void catalog.refetch()} />
        ) : metrics && metrics.length === 0 ? (
          <EmptyState title={`No metrics are kept at the ${interval} interval.`}>Pick another interval or range.</EmptyState>
        ) : series.error && !series.data ? (
          <ErrorState what={`the series of ${ip}`} error={series.error} onRetry={series.refetch} />
        ) : !series.data ? (
          Array.from({ length: Math.min(metrics?.length ?? 4, 6) }, (_, i) => <Skeleton key={i} label="Loading chart" height={220} />)
        ) : (
          <>
            {drawn.length === 0 && series.waiting === 0 && (
              <EmptyState title={`${ip} has no traffic in ${zoom ? 'this window' : rangeText.toLowerCase()}.`} testId="ip-empty">
                {summary.data?.lastSeen
                  ? `Last seen ${new Date(summary.data.lastSeen * 1000).toISOString().replace('.000Z', 'Z')}: widen the range to see it.`
                  : 'ipscope has not seen this address in the range; it may never have appeared in the ingested traffic.'}
              </EmptyState>
            )}
            <div className={series.isPlaceholderData ? 'refreshing' : undefined}>
              {drawn.map((s) => (
                <MetricChart
                  key={s.metric}
                  ip={ip}
                  series={s}
                  info={info.get(s.metric)}
                  range={axis}
                  step={step}
                  zoom={zoom}
                  theme={theme}
                  alerts={byMetric.get(s.metric) ?? NO_ALERTS}
                  mode={view.modes[s.metric]}
                  group={GROUP}
                  onMode={(mode) => setMode(s.metric, mode)}
                  onZoom={onZoom}
                  snap={snap}
                  onDrawStart={() => tracker.started(s.metric)}
                  onFinished={() => tracker.finished(s.metric)}
                />
              ))}
            </div>
            {series.waiting > 0 &&
              (series.error ? (
                <ErrorState what={`the rest of the series of ${ip}`} error={series.error} onRetry={series.refetch} />
              ) : (
                <Skeleton label="Loading more charts" height={220} />
              ))}
            {series.waiting === 0 && empty.length > 0 && drawn.length > 0 && (
              <p className="muted empty-metrics" data-testid="empty-metrics">
                No data in {zoom ? 'the loaded range' : rangeText.toLowerCase()} for:{' '}
                {empty.map((m, i) => (
                  <span key={m} data-metric={m} title={info.get(m)?.description}>
                    {i > 0 && ', '}
                    <code>{m}</code>
                  </span>
                ))}
                .
              </p>
            )}
          </>
        )}
      </section>

      {summary.data && (
        <PeersPanel ip={ip} range={summaryRange} peers={summary.data.peers} available={summary.data.peersAvailable} linkSearch={linkSearch} refreshing={summary.isPlaceholderData} />
      )}
    </div>
  );
}
