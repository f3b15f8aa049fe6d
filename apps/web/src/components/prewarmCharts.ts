import { histogramToStackedOption, seriesToLineOption, type ChartContext, type ChartTheme } from '@ipscope/charts';
import { loadChartEngine, type ChartEngine } from './chartEngine';

let done = false;
/** A real chart has started drawing: no warm-up from now on. */
let started = false;
let pending: number | undefined;

/**
 * A real chart is about to draw: a warm-up not yet run is dropped (it would only delay the
 * real charts, which pay the first-use costs themselves now).
 */
export function chartsStarted(): void {
  done = true;
  started = true;
  if (pending !== undefined) window.cancelIdleCallback(pending);
  pending = undefined;
}

/**
 * Draws a tiny throw-away line chart and histogram off screen, in the page's theme, while the
 * page waits for its data, so the first real chart does not also pay for ECharts' first-use
 * costs (lazy set-up, cold code). Runs once per page load, in idle time after ECharts has
 * loaded; does nothing visible. One theme only: the other theme's set-up is paid if the
 * analyst switches.
 */
export function prewarmCharts(theme: ChartTheme): void {
  if (done || typeof window.requestIdleCallback !== 'function') return;
  done = true;
  loadChartEngine().then(
    (echarts) => {
      if (started) return;
      pending = window.requestIdleCallback(
        () => {
          pending = undefined;
          warmUp(echarts, theme);
        },
        { timeout: 1000 },
      );
    },
    // The charts report a failed load themselves.
    () => undefined,
  );
}

function warmUp(echarts: ChartEngine, theme: ChartTheme): void {
  const begun = performance.now();
  const el = document.createElement('div');
  el.setAttribute('aria-hidden', 'true');
  el.style.cssText = 'position:absolute;left:-10000px;top:0;width:600px;height:200px;';
  document.body.append(el);
  const ctx: ChartContext = { range: { from: 0, to: 3600 }, step: 60, theme };
  const points = Array.from({ length: 60 }, (_, i) => [i * 60, i % 7] as const);
  const chart = echarts.init(el, theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
  chart.setOption(seriesToLineOption({ metric: 'warm', type: 'count', unit: 'x', points }, ctx));
  chart.setOption(histogramToStackedOption({ metric: 'warm', unit: 'x', points: points.map(([t, v]) => [t, { a: v, b: 1 }] as const) }, ctx), { notMerge: true });
  chart.dispose();
  el.remove();
  performance.measure('ipscope:prewarm', { start: begun });
}
