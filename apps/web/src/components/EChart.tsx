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

export interface EChartProps {
  option: ChartOption;
  theme: ChartTheme;
  /** Accessible name of the chart (the option adds a description). */
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
      if (window) handlers.current.onZoom?.(window);
    });
    instance.on('finished', () => handlers.current.onFinished?.());
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
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
    instance.setOption({ ...option, dataZoom: zoomComponents(zoomRef.current) }, { notMerge: true, lazyUpdate: false });
    instance.dispatchAction({ type: 'takeGlobalCursor', key: 'dataZoomSelect', dataZoomSelectActive: true });
    // `theme` re-creates the instance above; the option must be set again on the new one.
  }, [option, theme, group]);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    const current = (instance.getOption() as { dataZoom?: Array<{ startValue?: number; endValue?: number }> }).dataZoom?.[0];
    const want = zoom ? [zoom.from * 1000, zoom.to * 1000] : [axis.from * 1000, axis.to * 1000];
    if (current && Math.abs((current.startValue ?? 0) - want[0]!) < 1000 && Math.abs((current.endValue ?? 0) - want[1]!) < 1000) return;
    instance.dispatchAction({ type: 'dataZoom', dataZoomIndex: 0, startValue: want[0], endValue: want[1] });
  }, [zoom, axis.from, axis.to]);

  return <div ref={ref} role="img" aria-label={label} data-testid={testId} className="chart" style={{ height }} />;
}
