import { useEffect, useRef } from 'react';
import type { ChartOption, ChartTheme, TimeWindow } from '@ipscope/charts';
import { zoomComponents } from '@ipscope/charts';
import { cancelDraw, flushDraws, scheduleDraw } from './drawScheduler';
import { echarts } from './echartsCore';

type Instance = ReturnType<typeof echarts.init>;

/** A chart of a group: where it is on the page, and how to move its zoom window. */
interface Member {
  el: HTMLElement;
  instance: Instance;
  zoomTo(window: TimeWindow): void;
}

/** The charts of each group (the charts of one page, sharing the time axis). */
const groups = new Map<string, Set<Member>>();

/** Moves every chart of `group` but `source` to `window` (visible charts at once, the others while idle). */
function zoomGroup(group: string, window: TimeWindow, source: Member): void {
  for (const member of groups.get(group) ?? []) if (member !== source) member.zoomTo(window);
}

/**
 * All charts of a group drawn into one PNG (data URL), stacked in page order; undefined when
 * the group has no chart. Charts still waiting to be drawn are drawn first.
 */
export function groupPng(group: string, backgroundColor: string): string | undefined {
  flushDraws();
  const members = [...(groups.get(group) ?? [])].sort((a, b) => a.el.getBoundingClientRect().top - b.el.getBoundingClientRect().top);
  if (members.length === 0) return undefined;
  const pixelRatio = 2;
  const canvases = members.map((m) => m.instance.renderToCanvas({ pixelRatio, backgroundColor }));
  const out = document.createElement('canvas');
  out.width = Math.max(...canvases.map((c) => c.width));
  out.height = canvases.reduce((h, c) => h + c.height, 0);
  const ctx = out.getContext('2d');
  if (!ctx) return undefined;
  ctx.fillStyle = backgroundColor;
  ctx.fillRect(0, 0, out.width, out.height);
  let y = 0;
  for (const c of canvases) {
    ctx.drawImage(c, 0, y);
    y += c.height;
  }
  return out.toDataURL('image/png');
}

const windowText = (w: TimeWindow) => `${Math.round(w.from)}-${Math.round(w.to)}`;

/**
 * Drag across the plot to zoom to the dragged span (a shaded band shows it while dragging);
 * double-click to see the whole range again. Calls `zoom` with the chosen window in unix
 * seconds, or undefined for the whole range. Returns the unsubscribe.
 */
function dragToZoom(instance: Instance, el: HTMLElement, band: HTMLDivElement | null, zoom: (window: TimeWindow | undefined) => void): () => void {
  const zr = instance.getZr();
  let start: number | undefined;
  const inPlot = (x: number, y: number) => instance.containPixel({ gridIndex: 0 }, [x, y]);
  const timeAt = (x: number) => Number(instance.convertFromPixel({ xAxisIndex: 0 }, x)) / 1000;
  const show = (a: number, b: number) => {
    if (!band) return;
    band.hidden = false;
    band.style.left = `${Math.min(a, b)}px`;
    band.style.width = `${Math.abs(b - a)}px`;
  };
  const hide = () => {
    if (band) band.hidden = true;
  };
  const onDown = (e: { offsetX: number; offsetY: number }) => {
    start = inPlot(e.offsetX, e.offsetY) ? e.offsetX : undefined;
  };
  const onMove = (e: { offsetX: number }) => {
    if (start !== undefined) show(start, e.offsetX);
  };
  const onUp = (e: { offsetX: number }) => {
    const from = start;
    start = undefined;
    hide();
    if (from === undefined || Math.abs(e.offsetX - from) < 4) return;
    const [a, b] = [timeAt(from), timeAt(e.offsetX)].sort((x, y) => x - y) as [number, number];
    if (Number.isFinite(a) && Number.isFinite(b) && b > a) zoom({ from: a, to: b });
  };
  const onDoubleClick = (e: { offsetX: number; offsetY: number }) => {
    if (inPlot(e.offsetX, e.offsetY)) zoom(undefined);
  };
  const onLeave = () => {
    start = undefined;
    hide();
  };
  zr.on('mousedown', onDown);
  zr.on('mousemove', onMove);
  zr.on('mouseup', onUp);
  zr.on('dblclick', onDoubleClick);
  zr.on('globalout', onLeave);
  el.style.cursor = 'crosshair';
  return () => {
    zr.off('mousedown', onDown);
    zr.off('mousemove', onMove);
    zr.off('mouseup', onUp);
    zr.off('dblclick', onDoubleClick);
    zr.off('globalout', onLeave);
  };
}

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
 * One ECharts instance. Options replace the previous one whole (they are rebuilt by pure
 * functions, never patched); zoom windows are applied as `dataZoom` actions, so zooming
 * does not rebuild options. Drawing goes through the draw scheduler: on-screen charts at
 * once, off-screen ones while the browser is idle. The element carries the window it shows
 * (`data-window="from-to"`, unix seconds) for tests and tools.
 */
export function EChart({ option, theme, label, group, axis, zoom, onZoom, snap, onDrawStart, onFinished, testId, height = 240 }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const band = useRef<HTMLDivElement>(null);
  const handlers = useRef({ onZoom, onDrawStart, onFinished, snap });
  handlers.current = { onZoom, onDrawStart, onFinished, snap };
  /** What the chart should show, and what it shows. */
  const want = useRef<{ option: ChartOption | undefined; window: TimeWindow; axis: TimeWindow }>({ option: undefined, window: zoom ?? axis, axis });
  const shown = useRef<{ option: ChartOption | undefined; window: string }>({ option: undefined, window: '' });
  const sync = useRef<() => void>(() => undefined);
  // One stable function per chart for the scheduler (it keeps one pending draw per element); it always applies the latest state.
  const draw = useRef(() => sync.current());

  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const instance = echarts.init(el, theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
    shown.current = { option: undefined, window: '' };
    // ECharts also reports 'finished' for frames that are not ours (the empty chart after init, hovers): only a draw of ours counts.
    let awaitingFinish = false;
    sync.current = () => {
      const { option: next, window } = want.current;
      if (!next) return;
      const text = windowText(window);
      const redraw = next !== shown.current.option;
      if (!redraw && text === shown.current.window) return;
      // Before drawing: ECharts may paint, and report 'finished', within the call.
      awaitingFinish = true;
      handlers.current.onDrawStart?.();
      if (redraw) {
        const started = performance.now();
        instance.setOption({ ...next, dataZoom: zoomComponents(window) }, { notMerge: true, lazyUpdate: false });
        if (testId) performance.measure(`ipscope:setOption:${testId}`, { start: started });
      } else {
        instance.dispatchAction({ type: 'dataZoom', dataZoomIndex: 0, startValue: window.from * 1000, endValue: window.to * 1000 });
      }
      shown.current = { option: next, window: text };
      el.dataset.window = text;
    };
    const self: Member = {
      el,
      instance,
      zoomTo: (window) => {
        want.current = { ...want.current, window };
        scheduleDraw(el, draw.current);
      },
    };
    const members = groups.get(group) ?? new Set<Member>();
    members.add(self);
    groups.set(group, members);
    instance.on('finished', () => {
      if (!awaitingFinish) return;
      awaitingFinish = false;
      handlers.current.onFinished?.();
    });
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
    if (want.current.option) scheduleDraw(el, draw.current);
    return () => {
      cancelDraw(el);
      stopDrag();
      observer.disconnect();
      members.delete(self);
      if (members.size === 0) groups.delete(group);
      sync.current = () => undefined;
      instance.dispose();
    };
  }, [theme, group, testId]);

  useEffect(() => {
    want.current = { ...want.current, option };
    if (ref.current) scheduleDraw(ref.current, draw.current);
  }, [option, theme]);

  const target = zoom ?? axis;
  const targetText = windowText(target);
  useEffect(() => {
    want.current = { ...want.current, window: target, axis };
    if (ref.current && targetText !== shown.current.window) scheduleDraw(ref.current, draw.current);
    // `targetText` stands for `target`, a new object each render.
  }, [targetText, axis]);

  return (
    <div className="chart-frame">
      <div ref={ref} role="img" aria-label={label} data-testid={testId} className="chart" style={{ height }} />
      <div ref={band} className="zoom-selection" hidden />
    </div>
  );
}
