import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ChartOption, ChartTheme, TimeWindow } from '@ipscope/charts';
import { zoomComponents } from '@ipscope/charts';
import { joinGroup, zoomGroup, type ChartMember } from './chartGroup';
import { dragToZoom } from './dragToZoom';
import { chartEngine, loadChartEngine, type ChartEngine } from './chartEngine';
import { cancelDraw, holdDraw, scheduleDraw } from './drawScheduler';
import { chartsStarted } from './prewarmCharts';
import { rememberChartWidth, takeServerChart } from './serverCharts';

const windowText = (w: TimeWindow) => `${Math.round(w.from)}-${Math.round(w.to)}`;

export interface EChartProps {
  option: ChartOption;
  theme: ChartTheme;
  /** Accessible name until ECharts draws; then its aria component names the chart with the option's description (what it shows and its key numbers). */
  label: string;
  /** Charts of one group zoom together and export together. */
  group: string;
  /** The loaded range (the time axis). */
  axis: TimeWindow;
  /** The zoom window to show (from the URL); undefined for the whole axis. */
  zoom: TimeWindow | undefined;
  /** The analyst zoomed on this chart (drag, double-click): the window, or undefined for the whole axis. The group already follows. */
  onZoom?: (window: TimeWindow | undefined) => void;
  /** Adjusts a dragged window before it is applied (e.g. to whole buckets). */
  snap?: (window: TimeWindow) => TimeWindow;
  /** Called when the chart starts drawing new data or a new zoom window… */
  onDrawStart?: () => void;
  /** …and when that draw has finished. */
  onFinished?: () => void;
  testId?: string;
  height?: number;
}

/**
 * One ECharts instance, created once ECharts has loaded (`loadChartEngine`). Options replace the previous one whole (they are rebuilt by pure
 * functions, never patched); zoom windows are applied as `dataZoom` actions, so zooming
 * does not rebuild options. Drawing goes through the draw scheduler: on-screen charts at
 * once, off-screen ones right after; a new zoom window alone reaches an off-screen chart
 * when it scrolls into view. The element carries the window it shows
 * (`data-window="from-to"`, unix seconds) for tests and tools.
 */
export function EChart({ option, theme, label, group, axis, zoom, onZoom, snap, onDrawStart, onFinished, testId, height = 240 }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const band = useRef<HTMLDivElement>(null);
  /** Holds the server's drawing of this chart (if it took one) until the chart has drawn itself. */
  const overlay = useRef<HTMLDivElement>(null);
  /** What the server's drawing shows (theme and window), while it is shown. */
  const serverDrawn = useRef<string | undefined>(undefined);
  const dropServerDrawing = () => {
    serverDrawn.current = undefined;
    overlay.current?.replaceChildren();
    if (ref.current) ref.current.dataset.serverDrawing = 'replaced';
  };
  const handlers = useRef({ onZoom, onDrawStart, onFinished, snap });
  handlers.current = { onZoom, onDrawStart, onFinished, snap };
  /** What the chart should show, and what it shows. */
  const want = useRef<{ option: ChartOption | undefined; window: TimeWindow; axis: TimeWindow }>({ option: undefined, window: zoom ?? axis, axis });
  const shown = useRef<{ option: ChartOption | undefined; window: string }>({ option: undefined, window: '' });
  const sync = useRef<(tracked: boolean) => void>(() => undefined);
  // Stable functions for the scheduler (it keeps one pending draw per element); they always apply the latest state.
  // A lazy redraw (a zoom window reaching an off-screen chart as it scrolls into view) is not reported as a page draw.
  const draw = useRef({ tracked: () => sync.current(true), quiet: () => sync.current(false) });
  /** Schedules the chart's next draw: a change of window alone waits until the chart is on screen. */
  const schedule = useRef((el: Element) => {
    const lazy = want.current.option !== undefined && want.current.option === shown.current.option;
    scheduleDraw(el, draw.current.tracked, lazy ? { lazy: draw.current.quiet } : {});
  });

  // Before the first paint: the server's drawing of this chart, if it is of this chart as it will be drawn, shows until the chart draws.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || !testId || !overlay.current) return;
    const shownWindow = windowText(zoom ?? axis);
    const svg = takeServerChart(testId, theme, shownWindow, el.clientWidth);
    if (!svg) return;
    overlay.current.append(svg);
    serverDrawn.current = `${theme} ${shownWindow}`;
    // For tests and tools: `shown` while the server's drawing is up, `replaced` once the chart has drawn itself.
    el.dataset.serverDrawing = 'shown';
  }, []);

  const [engineError, setEngineError] = useState<unknown>(undefined);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const ready = chartEngine();
    if (ready) return attach(ready, el);
    // The page renders while ECharts still loads; the chart counts as a waiting draw until it has its engine.
    const release = holdDraw();
    let detach: (() => void) | undefined;
    let gone = false;
    loadChartEngine().then(
      (engine) => {
        if (!gone) detach = attach(engine, el);
        release();
      },
      (error: unknown) => {
        release();
        if (!gone) setEngineError(error);
      },
    );
    return () => {
      gone = true;
      release();
      detach?.();
    };
  }, [theme, group, testId, attempt]);

  /** Creates the ECharts instance on `el` and wires it up; returns its disposal. */
  function attach(echarts: ChartEngine, el: HTMLDivElement): () => void {
    const initStarted = performance.now();
    const instance = echarts.init(el, theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
    if (testId) performance.measure(`ipscope:init:${testId}`, { start: initStarted });
    shown.current = { option: undefined, window: '' };
    // ECharts also reports 'finished' for frames that are not ours (the empty chart after init, hovers): only a draw of ours counts.
    let awaitingFinish = false;
    sync.current = (tracked) => {
      const { option: next, window } = want.current;
      if (!next) return;
      const text = windowText(window);
      const redraw = next !== shown.current.option;
      if (!redraw && text === shown.current.window) return;
      // Before drawing: ECharts may paint, and report 'finished', within the call.
      // A quiet redraw does not cancel a reported draw that has not finished yet.
      awaitingFinish ||= tracked;
      if (tracked) handlers.current.onDrawStart?.();
      if (redraw) {
        chartsStarted();
        const started = performance.now();
        instance.setOption({ ...next, dataZoom: zoomComponents(window) }, { notMerge: true, lazyUpdate: false });
        if (testId) performance.measure(`ipscope:setOption:${testId}`, { start: started });
      } else {
        instance.dispatchAction({ type: 'dataZoom', dataZoomIndex: 0, startValue: window.from * 1000, endValue: window.to * 1000 });
      }
      shown.current = { option: next, window: text };
      el.dataset.window = text;
    };
    const self: ChartMember = {
      el,
      instance,
      zoomTo: (window) => {
        want.current = { ...want.current, window };
        schedule.current(el);
      },
    };
    const leave = joinGroup(group, self);
    instance.on('finished', () => {
      if (!awaitingFinish) return;
      awaitingFinish = false;
      // The chart has drawn itself (the canvas under the server's drawing shows the same): the drawing goes.
      if (serverDrawn.current !== undefined) dropServerDrawing();
      handlers.current.onFinished?.();
    });
    rememberChartWidth(el.clientWidth);
    const stopDrag = dragToZoom(instance, el, band.current, (dragged) => {
      const axis = want.current.axis;
      const snapped = dragged && (handlers.current.snap?.(dragged) ?? dragged);
      const window = snapped && { from: Math.max(snapped.from, axis.from), to: Math.min(snapped.to, axis.to) };
      const target = window && window.to > window.from ? window : axis;
      self.zoomTo(target);
      zoomGroup(group, target, self);
      handlers.current.onZoom?.(target === axis ? undefined : target);
    });
    // The observer also reports the size the chart was created at; only a real change redraws.
    let size = `${el.clientWidth}x${el.clientHeight}`;
    const observer = new ResizeObserver(() => {
      const next = `${el.clientWidth}x${el.clientHeight}`;
      if (next === size) return;
      size = next;
      instance.resize();
    });
    observer.observe(el);
    if (want.current.option) scheduleDraw(el, draw.current.tracked);
    return () => {
      cancelDraw(el);
      stopDrag();
      observer.disconnect();
      leave();
      sync.current = () => undefined;
      instance.dispose();
    };
  }

  useEffect(() => {
    if (serverDrawn.current !== undefined && !serverDrawn.current.startsWith(`${theme} `)) dropServerDrawing();
    want.current = { ...want.current, option };
    if (ref.current) scheduleDraw(ref.current, draw.current.tracked);
  }, [option, theme]);

  const target = zoom ?? axis;
  const targetText = windowText(target);
  useEffect(() => {
    // A zoom before the chart has drawn: the server's drawing shows another window.
    if (serverDrawn.current !== undefined && !serverDrawn.current.endsWith(` ${targetText}`)) dropServerDrawing();
    want.current = { ...want.current, window: target, axis };
    if (ref.current && targetText !== shown.current.window) schedule.current(ref.current);
    // `targetText` stands for `target`, a new object each render.
  }, [targetText, axis]);

  return (
    <div className="chart-frame">
      {engineError !== undefined && (
        <div className="state state-error" role="alert" data-testid="chart-engine-error">
          <strong>Could not load the chart code.</strong> <span>{engineError instanceof Error ? engineError.message : String(engineError)}</span>
          <button
            type="button"
            onClick={() => {
              setEngineError(undefined);
              setAttempt((n) => n + 1);
            }}
          >
            Retry
          </button>
        </div>
      )}
      <div ref={ref} role="img" aria-label={label} data-testid={testId} className="chart" style={{ height }} />
      <div ref={overlay} className="server-chart-overlay" aria-hidden="true" />
      <div ref={band} className="zoom-selection" hidden />
    </div>
  );
}
