import { useEffect } from 'react';
import { useCatalog, useIntervals } from '../../api/queries';
import { RangePicker } from '../../components/RangePicker';
import { ipPageRoute } from '../../router/ipPageRoute';
import { preloadIpPage } from '../../router/preloadIpPage';
import { describeRange } from '../../state/timeRange';
import { useResolvedRange } from '../../state/useResolvedRange';
import { useView } from '../../state/useView';
import { serializeView } from '../../state/viewState';
import { AlertFeed } from './AlertFeed';
import { TopEntitiesPanel } from './TopEntitiesPanel';
import { TotalsPanel } from './TotalsPanel';
import { defaultTopMetric } from './defaultTopMetric';

/** The overview: totals for the range, the busiest IPs by any metric, and the alert feed. */
export default function OverviewPage() {
  const { view, setView } = useView();
  // The next page is most often an IP page: once the overview is idle, fetch its code, then run it in
  // another idle period, so that a click on an IP renders the page at once (without suspending first).
  useEffect(() => {
    // `globalThis`: `window` below is the page's time window.
    if (typeof globalThis.requestIdleCallback !== 'function') return undefined;
    let left = false;
    let id = globalThis.requestIdleCallback(
      () =>
        void preloadIpPage().then(() => {
          if (!left) id = globalThis.requestIdleCallback(() => void ipPageRoute.preload().catch(() => undefined), { timeout: 3000 });
        }),
      { timeout: 3000 },
    );
    return () => {
      left = true;
      globalThis.cancelIdleCallback(id);
    };
  }, []);
  const { window, interval, autoInterval } = useResolvedRange(view);
  const intervals = useIntervals();
  const catalog = useCatalog();
  const q = { interval, from: window.from, to: window.to };
  const rangeText = describeRange(view.range);
  // Only metrics the store keeps a ranking index for can be ranked (the API answers 400 for the others).
  const rankable = (catalog.data?.metrics ?? []).filter((m) => m.ranked && m.intervals.includes(interval));
  const metric = view.metric ?? defaultTopMetric(rankable);
  // Links to IP pages keep the range, interval and live state.
  const linkSearch = serializeView({ range: view.range, interval: view.interval, live: view.live, modes: {}, sort: '-value' });

  return (
    <div className="page" data-testid="overview-page">
      <div className="toolbar">
        <h1>Overview</h1>
        <RangePicker
          range={view.range}
          window={window}
          interval={view.interval}
          autoInterval={autoInterval}
          intervals={intervals}
          onRange={(range) => setView({ range, zoom: undefined })}
          onInterval={(i) => setView({ interval: i })}
        />
      </div>
      <TotalsPanel q={q} rangeText={rangeText} />
      <div className="overview-grid">
        <TopEntitiesPanel q={q} view={view} metrics={rankable} metric={metric} rangeText={rangeText} linkSearch={linkSearch} setView={setView} />
        <AlertFeed q={q} rangeText={rangeText} linkSearch={linkSearch} />
      </div>
    </div>
  );
}
