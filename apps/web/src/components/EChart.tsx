import { useEffect, useRef } from 'react';
import type { ChartOption, ChartTheme, TimeWindow } from '@ipscope/charts';
import { zoomComponents } from '@ipscope/charts';
import { echarts } from './echartsCore';

type Instance = ReturnType<typeof echarts.init>;

/** The chart instances of each group, for exporting a group as one image. */
const groups = new Map<string, Set<Instance>>();

/** All charts of a group drawn into one PNG (data URL), stacked as on the page; undefined when the group has no chart. */
export function groupPng(group: string, backgroundColor: string): string | undefined {
  const first = groups.get(group)?.values().next().value;
  return first?.getConnectedDataURL({ type: 'png', pixelRatio: 2, backgroundColor });
}

interface ZoomEventPayload {
  start?: number;
  end?: number;
  startValue?: number;
  endValue?: number;
  batch?: ZoomEventPayload[];
}

/** The window a `datazoom` event selected, from values when the event has them, else from percentages of the axis span. */
function windowOf(event: ZoomEventPayload, axis: TimeWindow): TimeWindow | undefined {
  const e = event.batch?.[0] ?? event;
  const span = axis.to - axis.from;
  const from = e.startValue !== undefined ? e.startValue / 1000 : e.start !== undefined ? axis.from + (e.start / 100) * span : undefined;
  const to = e.endValue !== undefined ? e.endValue / 1000 : e.end !== undefined ? axis.from + (e.end / 100) * span : undefined;
  return from !== undefined && to !== undefined && to > from ? { from, to } : undefined;
}

/** The window a chart shows, on its element (`data-window="from-to"`, unix seconds): what tests and tools can read without reaching into ECharts. */
function markWindow(el: HTMLElement, window: TimeWindow): void {
  el.dataset.window = windowText(window);
}

const windowText = (w: TimeWindow) => `${Math.round(w.from)}-${Math.round(w.to)}`;

/**
 * Drag across the plot to zoom to the dragged span (a shaded band shows it while dragging);
 * double-click to see the whole range again. The zoom is an ECharts `dataZoom` action, so the
 * connected charts follow and the `datazoom` event reports it. Returns the unsubscribe.
 */
function dragToZoom(instance: Instance, el: HTMLElement, band: HTMLDivElement | null): () => void {
  const zr = instance.getZr();
  let start: number | undefined;
  const inPlot = (x: number, y: number) => instance.containPixel({ gridIndex: 0 }, [x, y]);
  const timeAt = (x: number) => Number(instance.convertFromPixel({ xAxisIndex: 0 }, x));
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
    if (Number.isFinite(a) && Number.isFinite(b) && b > a) instance.dispatchAction({ type: 'dataZoom', dataZoomIndex: 0, startValue: a, endValue: b });
  };
  const onDoubleClick = (e: { offsetX: number; offsetY: number }) => {
    if (inPlot(e.offsetX, e.offsetY)) instance.dispatchAction({ type: 'dataZoom', dataZoomIndex: 0, start: 0, end: 100 });
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
  /** Charts of one group share tooltips and zoom, and export together. */
  group: string;
  /** The loaded range (the time axis), to read zoom windows. */
  axis: TimeWindow;
  /** The zoom window to show; applied without rebuilding the chart. */
  zoom: TimeWindow | undefined;
  onZoom?: (window: TimeWindow) => void;
  /** Called each time the chart has finished drawing (after data, zoom or resize). */
  onFinished?: () => void;
  testId?: string;
  height?: number;
}

/**
 * One ECharts instance. The option replaces the previous one whole (options are rebuilt by
 * pure functions, never patched); the zoom is applied as an action so zooming does not
 * rebuild options; drag-to-zoom is on by default.
 */
export function EChart({ option, theme, label, group, axis, zoom, onZoom, onFinished, testId, height = 240 }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<Instance | null>(null);
  const handlers = useRef({ onZoom, onFinished, axis });
  handlers.current = { onZoom, onFinished, axis };
  const overlay = useRef<HTMLDivElement>(null);
  const zoomRef = useRef(zoom);
  zoomRef.current = zoom;

  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const instance = echarts.init(el, theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
    instance.group = group;
    echarts.connect(group);
    const members = groups.get(group) ?? new Set<Instance>();
    members.add(instance);
    groups.set(group, members);
    chart.current = instance;
    instance.on('datazoom', (event) => {
      const window = windowOf(event as ZoomEventPayload, handlers.current.axis);
      if (!window) return;
      markWindow(el, window);
      handlers.current.onZoom?.(window);
    });
    instance.on('finished', () => handlers.current.onFinished?.());
    const stopDrag = dragToZoom(instance, el, overlay.current);
    // The observer also reports the size the chart was created at; only a real change redraws.
    let size = `${el.clientWidth}x${el.clientHeight}`;
    const observer = new ResizeObserver(() => {
      const next = `${el.clientWidth}x${el.clientHeight}`;
      if (next === size) return;
      size = next;
      instance.resize();
    });
    observer.observe(el);
    return () => {
      stopDrag();
      observer.disconnect();
      members.delete(instance);
      if (members.size === 0) groups.delete(group);
      instance.dispose();
      chart.current = null;
    };
  }, [theme, group]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    const started = performance.now();
    instance.setOption({ ...option, dataZoom: zoomComponents(zoomRef.current) }, { notMerge: true, lazyUpdate: false });
    if (testId) performance.measure(`ipscope:setOption:${testId}`, { start: started });
    if (ref.current) markWindow(ref.current, zoomRef.current ?? handlers.current.axis);
    // `theme` re-creates the instance above; the option must be set again on the new one.
  }, [option, theme, group, testId]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    const want = zoom ?? axis;
    // Charts of a group follow each other's zoom (echarts.connect): only a chart not yet showing the window needs the action.
    if (!ref.current || ref.current.dataset.window === windowText(want)) return;
    instance.dispatchAction({ type: 'dataZoom', dataZoomIndex: 0, startValue: want.from * 1000, endValue: want.to * 1000 });
    markWindow(ref.current, want);
  }, [zoom, axis]);

  return (
    <div className="chart-frame">
      <div ref={ref} role="img" aria-label={label} data-testid={testId} className="chart" style={{ height }} />
      <div ref={overlay} className="zoom-selection" hidden />
    </div>
  );
}
